import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openJsonFile } from '@rail/atomic-file';
import type { TrainData } from '@rail/schema';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSummary } from '../src/summary.js';
import { runDemoProcess } from './demo-run.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
/** The Green Line sheet has blocks 1 … 150 (real-inputs README, green-line.csv). */
const GREEN_BLOCKS = 150;
const TRAINS = ['T1', 'T2', 'T3'] as const;
/** What the test writes over the file: not JSON at all. */
const GARBAGE = 'garbage{{{ not a train document';
/**
 * 3 trains 30 s apart at ×10: all three are out of the yard by 60 s of simulated time. The steps
 * up to the damaged file were measured to end near 260 s simulated; 420 s leaves a margin before
 * the run ends by itself (a step that outlasts it fails on the closed dashboard, not silently).
 */
const DURATION_S = 420;
const DEMO_ARGS = ['--dashboard', '--trains', '3', '--headway', '30', '--duration', String(DURATION_S), '--speed', '10'];

let dir: string;
let file: string;
let demo: Promise<{ code: number | null; summary: DemoSummary; stderr: string }>;
const abort = new AbortController();
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

function fileNow(): TrainData {
  return JSON.parse(readFileSync(file, 'utf8')) as TrainData;
}

/** The file as a reader sees it right now, or undefined while it holds the test's garbage. */
function fileIfReadable(): TrainData | undefined {
  try {
    return fileNow();
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Commits the dashboard process logged in its ledger (one `C <rev> …` line each; see commit-ledger.ts). */
function dashboardCommits(): number {
  const ledgers = `${file}.commits`;
  return readdirSync(ledgers)
    .filter((n) => n.startsWith('commits-dashboard-'))
    .flatMap((n) => readFileSync(join(ledgers, n), 'utf8').split('\n'))
    .filter((l) => l.startsWith('C ')).length;
}

async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; the file's last state: ${JSON.stringify(fileIfReadable()?.trains ?? 'unreadable').slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const marker = (id: string) => `[data-testid=train-marker][data-train=${id}]`;
async function distanceOnPage(id: string): Promise<number> {
  return Number(await page.locator(marker(id)).getAttribute('data-distance-m'));
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The dashboard e2e test needs Debian's chromium at ${CHROMIUM} (apt-get install -y chromium); it is not installed, so the test fails instead of skipping.`);
  }
  dir = mkdtempSync(join(tmpdir(), 'rail-demo-dashboard-'));
  file = join(dir, 'train_data.json');
  let foundUrl: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (foundUrl = resolve));
  demo = runDemoProcess(['--file', file, ...DEMO_ARGS], (stderr) => {
    const found = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
    if (found?.[1]) foundUrl(found[1]);
  }, { signal: abort.signal });
  const dashboardUrl = await Promise.race([
    url,
    demo.then((r) => {
      throw new Error(`the demo exited (code ${r.code}) before printing its dashboard URL; stderr: ${r.stderr}`);
    }),
  ]);
  context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1500, height: 1300 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  await page.goto(dashboardUrl);
}, 60_000);

afterAll(async () => {
  await context?.close();
  // Only reached early when a step failed: the demo is then stopped like a Ctrl-C, not left running.
  abort.abort();
  await demo?.catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('the dashboard of a real demo run (pnpm demo --dashboard, headless Chromium)', () => {
  it('draws the Green Line with its 150 blocks and named stations', async () => {
    await page.locator('[data-testid=line-strip][data-line=Green]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=line-strip][data-line=Green] [data-testid=block]').count()).toBe(GREEN_BLOCKS);
    await expect.poll(() => page.locator('[data-testid=station]').allTextContents()).toEqual(expect.arrayContaining(['PIONEER', 'GLENBURY', 'DORMONT']));
  }, 30_000);

  it('shows the three trains the demo dispatches, and each of them moves', async () => {
    for (const id of TRAINS) await page.locator(marker(id)).waitFor({ timeout: 30_000 });
    for (const id of TRAINS) {
      const start = await distanceOnPage(id);
      await expect.poll(() => distanceOnPage(id), { timeout: 30_000 }).toBeGreaterThan(start + 20);
    }
    expect(await page.locator('[data-testid=block][data-occupied]').count()).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('the speed plot gains points over time', async () => {
    const chart = '[data-testid=chart-speed][data-train=T1]';
    const before = Number(await page.locator(chart).getAttribute('data-points'));
    await expect.poll(async () => Number(await page.locator(chart).getAttribute('data-points')), { timeout: 20_000 }).toBeGreaterThan(before + 10);
  }, 30_000);

  it('an engine failure injected from the page stops that train while the others keep running', async () => {
    // T3 must be running (not dwelling) when it fails, or "slowing down" would prove nothing.
    await waitUntil('T3 running above 8 m/s', () => (fileIfReadable()?.trains.T3?.model?.speedMps ?? 0) > 8, 60_000);
    // A click, as a user does: the box shows the committed state, so it reads checked only once
    // the failure is in the file (Playwright's check() would fail on a revision that lands between).
    await page.locator('[data-testid=train][data-train=T3] [data-testid=fail-engine]').click();
    const atFailure = await waitUntil("the train model acting on T3's engine failure", () => {
      const d = fileIfReadable();
      return d?.trains.T3?.model?.failures.engine === true ? d : undefined;
    }, 20_000);
    expect(atFailure.trains.T3!.operator).toEqual({ failures: { engine: true, brake: false, signal: false } });
    expect(atFailure.trains.T1!.operator).toBeUndefined();
    expect(atFailure.trains.T2!.operator).toBeUndefined();
    const v0 = atFailure.trains.T3!.model!.speedMps;
    const d0 = atFailure.trains.T3!.model!.distanceM;
    const others0 = { T1: atFailure.trains.T1!.model!.distanceM, T2: atFailure.trains.T2!.model!.distanceM };

    // T3 is the last train out of the yard: a stopped train holds back every train behind it (the
    // wayside gives no authority into its block), so only trains ahead of it can keep running.
    // With no traction the real controller reports the failure and stops the train with the service
    // brake rather than let it roll on: the train loses its speed and stays where it stopped.
    const stopped = await waitUntil('T3 to stop', () => {
      const d = fileIfReadable();
      return d?.trains.T3?.model?.speedMps === 0 && d.trains.T3.controller?.status === 'failure' ? d : undefined;
    }, 30_000);
    const t3 = stopped.trains.T3!;
    expect({ engine: t3.model!.failures.engine, powerCommandW: t3.controller!.powerCommandW, serviceBrake: t3.controller!.serviceBrake }).toEqual({ engine: true, powerCommandW: 0, serviceBrake: true });
    // Stopping distance at the Flexity 2 service brake (1.2 m/s²) is v0²/(2·1.2), plus at most one
    // second of travel at v0 before the controller's next answers apply the brake (two 0.5 s ticks).
    expect(t3.model!.distanceM - d0).toBeLessThanOrEqual((v0 * v0) / (2 * 1.2) + v0 * 1.0);
    const later = await waitUntil('the other trains to run on for 100 m', () => {
      const d = fileIfReadable();
      return d && ['T1', 'T2'].every((id) => (d.trains[id]?.model?.distanceM ?? 0) > others0[id as 'T1' | 'T2'] + 100) ? d : undefined;
    }, 30_000);
    expect(later.trains.T3!.model!.distanceM).toBe(t3.model!.distanceM);
    for (const id of ['T1', 'T2'] as const) expect({ id, failures: later.trains[id]!.model!.failures }).toEqual({ id, failures: { engine: false, brake: false, signal: false } });

    const summary = page.locator('[data-testid=train][data-train=T3] [data-testid=train-summary]');
    await expect.poll(() => summary.textContent()).toContain('failures acting: engine');
    await expect.poll(() => summary.textContent()).toMatch(/ 0\.0 km\/h .*power 0\.0 kW \(failure/);
    expect(await page.locator('[data-testid=train][data-train=T3] [data-testid=fail-engine]').isChecked()).toBe(true);
  }, 120_000);

  it('an invalid gain shows the validator refusal next to the control and writes nothing', async () => {
    const commitsBefore = dashboardCommits();
    // The one accepted control so far: the engine failure.
    expect(commitsBefore).toBe(1);
    const before = fileNow();
    const card = page.locator('[data-testid=train][data-train=T1]');
    await card.locator('[data-testid=kp]').fill('-5');
    await card.locator('[data-testid=ki]').fill('10');
    await card.locator('[data-testid=gains-apply]').click();
    await expect.poll(() => card.locator('[data-testid=refusal-gains]').textContent()).toBe('Refused: /trains/T1/operator/kp must be >= 0, found -5');
    // The runners keep committing, so the document moved on; what the refusal must not touch did not.
    await waitUntil('a newer revision from the runners', () => (fileIfReadable()?.revision ?? 0) > before.revision + 5 || undefined, 20_000);
    const after = fileNow();
    expect(dashboardCommits()).toBe(commitsBefore);
    expect(Object.fromEntries(TRAINS.map((id) => [id, after.trains[id]!.operator]))).toEqual(Object.fromEntries(TRAINS.map((id) => [id, before.trains[id]!.operator])));
    expect({ kp: after.trains.T1!.controller!.kp, ki: after.trains.T1!.controller!.ki }).toEqual({ kp: before.trains.T1!.controller!.kp, ki: before.trains.T1!.controller!.ki });

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-demo.png'), fullPage: true });
  }, 60_000);

  it('a file damaged mid-run shows its error on the page, which clears once the store restores it', async () => {
    // The test takes the real lock as one more writer and damages the file while holding it, so
    // that no module can repair it before the page has seen it. Whichever module's commit the
    // damage replaces is lost; the runners see their answer missing from the file and give it again.
    const corrupter = openJsonFile<TrainData>(file, { lock: { label: 'e2e-corrupter' }, backup: true });
    const banner = page.locator('[data-testid=doc-error]');
    const lastGood = await distanceOnPage('T1');
    let damagedAtRevision: number | null = null;
    try {
      await corrupter
        .update(async (draft) => {
          damagedAtRevision = draft.revision;
          writeFileSync(file, GARBAGE);
          await banner.waitFor({ state: 'visible', timeout: 8_000 });
          throw new Error('damaged: release the lock without writing');
        })
        .catch((error: unknown) => {
          const why = String((error as Error).cause ?? error);
          if (damagedAtRevision === null || !/damaged: release the lock/.test(why)) throw error;
        });
    } finally {
      await corrupter.close();
    }
    const shown = await banner.textContent();
    expect(shown).toContain('not valid JSON');
    expect(shown).toContain('Showing the last good revision.');
    expect(await page.locator('[data-testid=block]').count()).toBe(GREEN_BLOCKS);
    expect(await distanceOnPage('T1')).toBeGreaterThanOrEqual(lastGood);

    await banner.waitFor({ state: 'hidden', timeout: 20_000 });
    const repaired = fileNow();
    expect(repaired.revision).toBeGreaterThan(damagedAtRevision ?? Infinity);
    const copies = readdirSync(dir).filter((n) => n.startsWith('train_data.json.corrupt-'));
    expect(copies).toHaveLength(1);
    expect(readFileSync(join(dir, copies[0] ?? ''), 'utf8')).toBe(GARBAGE);
    await expect.poll(() => distanceOnPage('T1'), { timeout: 20_000 }).toBeGreaterThan(lastGood + 5);
  }, 60_000);

  it('left nothing on the browser console but the network line of the one refusal it provoked', () => {
    // Chromium logs every 4xx answer as "Failed to load resource"; the 422 of the invalid gain is expected.
    expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
  });

  it('the run ends with the damage as its only failed invariant: one repair, no lost update, no write error', async () => {
    const { code, summary, stderr } = await demo;
    expect({ code, failures: summary.failures.length }, stderr).toEqual({ code: 1, failures: 1 });
    expect(summary.failures[0]).toMatch(/^\d+ corrupt read\(s\) .*restored from its backup 1 time\(s\), each time losing the one commit the damaged bytes replaced/);
    expect(summary.damagedCopies).toEqual([expect.stringMatching(/train_data\.json\.corrupt-/)]);
    expect(summary.simTimeS).toBeGreaterThanOrEqual(DURATION_S);
    expect(summary.lostUpdates).toBe(0);
    expect(summary.writeErrors.total).toBe(0);
    expect(summary.authorityOverruns).toBe(0);
    expect(summary.powerResets).toBe(0);
    expect(summary.tempFilesLeft).toBe(0);
    // One accepted control (the engine failure); the refused gain wrote nothing.
    expect(summary.commits.commitsByModule.dashboard).toBe(1);
    const commits = Object.values(summary.commits.commitsByModule).reduce((a, b) => a + b, 0);
    expect(commits).toBe(summary.commits.finalRevision - summary.commits.baseRevision);
  }, 120_000);
});
