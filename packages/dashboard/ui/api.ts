import type { OperatorRefusal } from '../src/protocol.js';

export type ControlResult = { ok: true; revision: number } | { ok: false; refusal: OperatorRefusal };

/** Sends one operator control; a refusal (422, 404, …) comes back as data to show next to the control. */
export async function sendOperatorControl(trainId: string, patch: Record<string, unknown>): Promise<ControlResult> {
  let response: Response;
  try {
    response = await fetch(`api/trains/${encodeURIComponent(trainId)}/operator`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(patch),
    });
  } catch (error) {
    return { ok: false, refusal: { error: `The dashboard server did not answer (${String(error)}); is it still running?`, code: 'NETWORK', issues: [] } };
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, refusal: { error: `The server answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, code: 'BAD_RESPONSE', issues: [] } };
  }
  if (response.ok) return { ok: true, revision: (body as { revision: number }).revision };
  return { ok: false, refusal: body as OperatorRefusal };
}

/** The refusal as shown next to a control: the validator's path and message for each issue. */
export function describeRefusal(refusal: OperatorRefusal): string {
  if (refusal.issues.length === 0) return refusal.error;
  return `Refused: ${refusal.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`;
}
