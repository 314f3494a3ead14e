import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonFile } from '@rail/atomic-file';
import type { TrainData } from '@rail/schema';
import { startDashboard, type DashboardHandle } from '../src/index.js';
import { getJson, openTrainFile, postJson, SseClient, tempDir, waitUntil } from './helpers.js';

const run = promisify(execFile);
const stepWriter = fileURLToPath(new URL('./fixtures/step-writer.mjs', import.meta.url));

let tmp: ReturnType<typeof tempDir>;
let path: string;
let doc: JsonFile<TrainData>;
let dash: DashboardHandle;
const clients: SseClient[] = [];

beforeEach(async () => {
  tmp = tempDir();
  path = join(tmp.dir, 'train_data.json');
  doc = await openTrainFile(path, ['T1', 'T2'], 'dashboard-test');
  dash = await startDashboard({ doc, healthIntervalMs: 200, staleAfterMs: 1000 });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await dash.close();
  await doc.close();
  tmp.cleanup();
});

async function connect(): Promise<SseClient> {
  const client = await SseClient.open(`${dash.url}api/events`);
  clients.push(client);
  return client;
}

/** Everything in the file except the store's own bookkeeping (revision, updatedAt). */
function content(): Record<string, unknown> {
  const { revision: _r, updatedAt: _u, ...rest } = JSON.parse(readFileSync(path, 'utf8')) as TrainData;
  return rest;
}

describe('startDashboard', () => {
  it('serves the built page on 127.0.0.1 at a free port', async () => {
    expect(dash.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(dash.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<script src="main.js"></script>');
    expect((await fetch(`${dash.url}main.js`)).status).toBe(200);
    expect((await fetch(`${dash.url}uplot.min.css`)).status).toBe(200);
    expect((await fetch(`${dash.url}..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('pushes each committed revision of another process once, in order', async () => {
    const client = await connect();
    const hello = await client.waitFor('hello', () => true);
    const startRevision = (hello.data as { snapshot: { revision: number } }).snapshot.revision;
    await run(process.execPath, [stepWriter, path, '5', '60']);
    await client.waitFor('revision', (d) => d.revision === startRevision + 5);
    const revisions = client.of('revision').map((e) => (e.data as { revision: number }).revision);
    expect(new Set(revisions).size).toBe(revisions.length);
    expect([...revisions].sort((a, b) => a - b)).toEqual(revisions);
    expect(revisions.at(-1)).toBe(startRevision + 5);
    const last = client.of('revision').at(-1)!.data as { points: Record<string, { tS: number; speedMps: number }> };
    expect(last.points.T1).toMatchObject({ tS: 5, speedMps: 5 });
  });

  it('a page opened mid-run first gets the history kept since the server started', async () => {
    const first = await connect();
    // One commit at a time, each once the server has pushed the one before, so its watch sees every
    // one of them however slow the machine is (a writer pausing 150 ms between commits raced the
    // watch, which rightly skips to the latest revision when it is late).
    for (let t = 1; t <= 4; t++) {
      await run(process.execPath, [stepWriter, path, '1', '0']);
      await first.waitFor('revision', (d) => d.points?.T1?.tS === t);
    }
    const late = await connect();
    const hello = (await late.waitFor('hello', () => true)).data as { history: Record<string, { tS: number[]; speedMps: number[] }> };
    expect(hello.history.T1!.tS).toEqual([1, 2, 3, 4]);
    expect(hello.history.T1!.speedMps).toEqual([1, 2, 3, 4]);
  });

  it('an operator control writes only that train\'s operator section', async () => {
    const before = content();
    const revisionBefore = (await doc.read()).revision;
    const res = await postJson(`${dash.url}api/trains/T1/operator`, { failures: { engine: true } });
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe(revisionBefore + 1);
    const after = content();
    const expected = structuredClone(before) as { trains: TrainData['trains'] };
    expected.trains.T1!.operator = { failures: { engine: true, brake: false, signal: false } };
    expect(after).toEqual(expected);
  });

  it('gains, mode and the emergency brake land in the operator section', async () => {
    expect((await postJson(`${dash.url}api/trains/T2/operator`, { kp: 24000, ki: 150 })).status).toBe(200);
    expect((await postJson(`${dash.url}api/trains/T2/operator`, { mode: 'manual', driverSpeedMps: 10 })).status).toBe(200);
    expect((await postJson(`${dash.url}api/trains/T2/operator`, { emergencyBrake: true })).status).toBe(200);
    const file = JSON.parse(readFileSync(path, 'utf8')) as TrainData;
    expect(file.trains.T2!.operator).toEqual({ kp: 24000, ki: 150, mode: 'manual', driverSpeedMps: 10, emergencyBrake: true });
    expect(file.trains.T1!.operator).toBeUndefined();
  });

  it('an invalid gain answers 422 with the validator message and leaves the file byte-for-byte unchanged', async () => {
    const bytes = readFileSync(path);
    const res = await postJson(`${dash.url}api/trains/T1/operator`, { kp: -5 });
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([{ path: '/trains/T1/operator/kp', message: 'must be >= 0, found -5' }]);
    expect(res.body.error).toContain('nothing written');
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(doc.stats().commits).toBe(1);
    // A refused control is the operator's mistake, not a store failure.
    expect(doc.stats().errors).toBe(0);
  });

  it('refuses unknown trains (404), bad JSON (400) and non-JSON requests (415) without writing', async () => {
    const bytes = readFileSync(path);
    expect((await postJson(`${dash.url}api/trains/T9/operator`, { kp: 1 })).status).toBe(404);
    expect((await postJson(`${dash.url}api/trains/T1/operator`, '{"kp":')).status).toBe(400);
    expect((await postJson(`${dash.url}api/trains/T1/operator`, '{"kp":1}', 'text/plain')).status).toBe(415);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('reports "no new revision" when writers stop, and a corrupt file until a good revision arrives', async () => {
    await run(process.execPath, [stepWriter, path, '1', '0']);
    const stale = await waitUntil('the stale flag', async () => {
      const h = (await getJson(`${dash.url}api/state`)).body.health;
      return h.stale ? h : undefined;
    });
    expect(stale.lastRevisionAt).toEqual(expect.any(String));

    writeFileSync(path, '{"schemaVersion": 1, "revis');
    const broken = await waitUntil('the document error', async () => (await getJson(`${dash.url}api/state`)).body.health.docError ?? undefined);
    expect(broken.source).toBe('restore');
    expect(broken.message).toContain('backup');
    // The last good view stays.
    expect((await getJson(`${dash.url}api/state`)).body.snapshot.value.trains.T1.model.speedMps).toBe(1);

    // Two commits: the store restores the backup and commits the repair under a revision past the
    // damaged one, then the next one.
    await run(process.execPath, [stepWriter, path, '2', '0']);
    const onDisk = JSON.parse(readFileSync(path, 'utf8')) as TrainData;
    // Waits for the page's state to be the last commit, not for "not stale": with no writer after it,
    // "no new revision" comes back after staleAfterMs, which a slow probe could miss entirely.
    const healed = await waitUntil('the last commit to be shown', async () => {
      const state = (await getJson(`${dash.url}api/state`)).body;
      return state.snapshot?.revision === onDisk.revision ? state : undefined;
    });
    expect(healed.health.docError).toBeNull();
    // The stale flag counts from the new revision, not from the one before the writers stopped.
    expect(Date.parse(healed.health.lastRevisionAt)).toBeGreaterThan(Date.parse(stale.lastRevisionAt));
    expect(healed.snapshot.value).toEqual(onDisk);
  });

  it('shows the lock holder of a file store', async () => {
    const h = (await getJson(`${dash.url}api/state`)).body.health;
    expect(['free', 'held']).toContain(h.lockOwnerStatus);
    expect(h.lockOwnerError).toBeNull();
  });
});
