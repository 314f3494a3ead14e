import { isTrainData, type Operator, type TrainData } from '@rail/schema';
import { DashboardError, type DashboardIssue } from './errors.js';

/**
 * What a control sends: any subset of the operator section. `failures` may name only the flags it
 * changes; the others keep their current value.
 */
export type OperatorPatch = Record<string, unknown>;

/** Checks the request body is an object with something to change; the values are the validator's job. */
export function parseOperatorPatch(body: unknown, trainId: string): OperatorPatch {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DashboardError(
      'BAD_REQUEST',
      `POST /api/trains/${trainId}/operator: the body must be a JSON object of operator fields (failures, emergencyBrake, mode, driverSpeedMps, kp, ki).`,
    );
  }
  if (Object.keys(body).length === 0) {
    throw new DashboardError('BAD_REQUEST', `POST /api/trains/${trainId}/operator: the body names no field to change; send e.g. {"kp": 2000}.`);
  }
  return body as OperatorPatch;
}

/**
 * The operator section after the patch. A train with no operator section has requested no failure,
 * so unnamed failure flags start from false (that is the meaning of an absent request, not a guess).
 */
export function mergeOperator(current: Operator | undefined, patch: OperatorPatch): unknown {
  const next: Record<string, unknown> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'failures' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      next.failures = { ...(current?.failures ?? { engine: false, brake: false, signal: false }), ...value };
    } else {
      next[key] = value;
    }
  }
  return next;
}

/**
 * Applies the patch to `draft.trains[trainId].operator` after checking the whole would-be document
 * against the schema; throws (leaving the draft untouched) when the train is unknown or the result
 * is invalid.
 */
export function applyOperatorPatch(draft: TrainData, trainId: string, patch: OperatorPatch): Operator {
  const train = draft.trains[trainId];
  if (!train) {
    throw new DashboardError(
      'UNKNOWN_TRAIN',
      `Operator control for train "${trainId}": the document has no such train (it has ${Object.keys(draft.trains).join(', ') || 'none'}); reload the page.`,
    );
  }
  const next = mergeOperator(train.operator, patch);
  const candidate = structuredClone(draft);
  (candidate.trains[trainId] as { operator?: unknown }).operator = next;
  const issues: DashboardIssue[] = isTrainData.issues(candidate).map((i) => ({ path: i.path, message: i.message }));
  if (issues.length > 0) {
    throw new DashboardError(
      'INVALID_CONTROL',
      `Operator control for train "${trainId}" refused, nothing written: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      { issues },
    );
  }
  train.operator = next as Operator;
  return train.operator;
}
