import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { JsonFile } from '@rail/atomic-file';
import type { TrainData } from '@rail/schema';
import { startDashboard, type DashboardHandle } from '../src/index.js';
import { openTrainFile, tempDir, waitUntil } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const MINI_SIM = fileURLToPath(new URL('./fixtures/mini-sim.ts', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
/** The Green Line sheet has blocks 1 … 150 (real-inputs README, green-line.csv). */
const GREEN_BLOCKS = 150;

let tmp: ReturnType<typeof tempDir>;
let path: string;
let doc: JsonFile<TrainData>;
let dash: DashboardHandle;
let sim: ChildProcess | null = null;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];

function startSim(): ChildProcess {
  const child = spawn(TSX, [MINI_SIM, path, '100', '1'], { stdio: ['ignore', 'inherit', 'inherit'] });
  return child;
}

async function stopSim(): Promise<void> {
  const child = sim;
  sim = null;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The server serves dist/ui: a page older than its sources would test yesterday's page. */
function assertPageIsBuilt(): void {
  const bundle = fileURLToPath(new URL('../dist/ui/main.js', import.meta.url));
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`pnpm --filter @rail/dashboard build\` before the browser test.`);
  const uiDir = fileURLToPath(new URL('../ui/', import.meta.url));
  const srcDir = fileURLToPath(new URL('../src/', import.meta.url));
  const sources = [...readdirSync(uiDir).map((f) => join(uiDir, f)), join(srcDir, 'history.ts'), join(srcDir, 'protocol.ts')];
  const newer = sources.filter((f) => statSync(f).mtimeMs > statSync(bundle).mtimeMs);
  if (newer.length > 0) throw new Error(`${bundle} is older than ${newer.join(', ')}: run \`pnpm --filter @rail/dashboard build\` before the browser test.`);
}

function fileNow(): TrainData {
  return JSON.parse(readFileSync(path, 'utf8')) as TrainData;
}

async function attr(selector: string, name: string): Promise<string | null> {
  return page.locator(selector).getAttribute(name);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser test needs Debian's chromium at ${CHROMIUM} (apt-get install -y chromium); it is not installed, so the test fails instead of skipping.`);
  }
  assertPageIsBuilt();
  tmp = tempDir();
  path = join(tmp.dir, 'train_data.json');
  doc = await openTrainFile(path, ['T1', 'T2', 'T3'], 'dashboard');
  // Spread the trains along the route so they are on different blocks, where the mini sim drives
  // every one of them above 5 m/s within seconds and keeps them there for ~1500 simulated seconds
  // (several minutes of this file) until the 15 and 20 km/h blocks (route steps 63-96). Where the
  // trains are when a test looks depends on how fast the machine runs the file: from steps 0, 40
  // and 80 one train started in the 20 km/h blocks and the next reached them a few minutes of
  // simulated time later, so "all trains moving" held only in a window a slow run could miss.
  await doc.update((d) => {
    ['T1', 'T2', 'T3'].forEach((id, i) => {
      d.trains[id]!.model = {
        speedMps: 0,
        accelerationMps2: 0,
        block: null,
        routeIndex: 100 + i * 10,
        positionInBlockM: 0,
        distanceM: 0,
        temperatureC: 20,
        leftDoorsOpen: false,
        rightDoorsOpen: false,
        failures: { engine: false, brake: false, signal: false },
      };
    });
  });
  sim = startSim();
  dash = await startDashboard({ doc, staleAfterMs: 1500, healthIntervalMs: 250 });
  context = await chromium.launchPersistentContext(join(tmp.dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1500, height: 1300 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  await page.goto(dash.url);
}, 120_000);

afterAll(async () => {
  await stopSim();
  await context?.close();
  await dash?.close();
  await doc?.close();
  tmp?.cleanup();
});

describe('the dashboard in headless Chromium during a run', () => {
  it('draws the Green Line with its 150 blocks and named stations', async () => {
    await page.locator('[data-testid=line-strip][data-line=Green]').waitFor();
    expect(await page.locator('[data-testid=line-strip][data-line=Green] [data-testid=block]').count()).toBe(GREEN_BLOCKS);
    await expect.poll(() => page.locator('[data-testid=station]').allTextContents()).toEqual(expect.arrayContaining(['PIONEER', 'GLENBURY']));
  }, 180_000);

  it('shows the three trains on the line, and they move', async () => {
    for (const id of ['T1', 'T2', 'T3']) await page.locator(`[data-testid=train-marker][data-train=${id}]`).waitFor();
    const start = Number(await attr('[data-testid=train-marker][data-train=T1]', 'data-distance-m'));
    await expect
      .poll(async () => Number(await attr('[data-testid=train-marker][data-train=T1]', 'data-distance-m')), { timeout: 60_000 })
      .toBeGreaterThan(start + 5);
    const occupied = await page.locator('[data-testid=block][data-occupied]').count();
    expect(occupied).toBeGreaterThanOrEqual(2);
  }, 180_000);

  it('the speed plot gains points over time', async () => {
    const chart = '[data-testid=chart-speed][data-train=T1]';
    const before = Number(await attr(chart, 'data-points'));
    await expect.poll(async () => Number(await attr(chart, 'data-points')), { timeout: 60_000 }).toBeGreaterThan(before + 5);
  }, 180_000);

  it('injecting an engine failure from the page makes that train coast while the others keep running', async () => {
    // Let every train reach a steady speed first.
    await waitUntil('all trains moving', () => Object.values(fileNow().trains).every((t) => (t.model?.speedMps ?? 0) > 5), 60_000);
    await page.locator('[data-testid=train][data-train=T2] [data-testid=fail-engine]').check();
    const atInjection = await waitUntil('the failure in the file', () => {
      const d = fileNow();
      return d.trains.T2?.operator?.failures?.engine === true ? d : undefined;
    }, 30_000);
    expect(atInjection.trains.T2!.operator).toEqual({ failures: { engine: true, brake: false, signal: false } });
    expect(atInjection.trains.T1!.operator).toBeUndefined();
    expect(atInjection.trains.T3!.operator).toBeUndefined();
    const v0 = atInjection.trains.T2!.model!.speedMps;
    const others0 = { T1: atInjection.trains.T1!.model!.distanceM, T3: atInjection.trains.T3!.model!.distanceM };
    const later = await waitUntil('T2 to slow down by 3 m/s', () => {
      const d = fileNow();
      return d.trains.T2!.model!.speedMps < v0 - 3 ? d : undefined;
    }, 60_000);
    expect(later.trains.T2!.model!.failures.engine).toBe(true);
    for (const id of ['T1', 'T3'] as const) {
      expect(later.trains[id]!.model!.speedMps).toBeGreaterThan(5);
      expect(later.trains[id]!.model!.distanceM).toBeGreaterThan(others0[id]);
    }
    await expect.poll(() => page.locator('[data-testid=train][data-train=T2] [data-testid=train-summary]').textContent()).toContain('failures acting: engine');
  }, 180_000);

  it('an invalid gain shows the validator refusal next to the control and changes nothing', async () => {
    const commitsBefore = doc.stats().commits;
    const operatorsBefore = Object.fromEntries(Object.entries(fileNow().trains).map(([id, t]) => [id, t.operator]));
    const card = page.locator('[data-testid=train][data-train=T1]');
    await card.locator('[data-testid=kp]').fill('-5');
    await card.locator('[data-testid=ki]').fill('10');
    await card.locator('[data-testid=gains-apply]').click();
    await expect.poll(() => card.locator('[data-testid=refusal-gains]').textContent()).toBe('Refused: /trains/T1/operator/kp must be >= 0, found -5');
    expect(doc.stats().commits).toBe(commitsBefore);
    const operatorsAfter = Object.fromEntries(Object.entries(fileNow().trains).map(([id, t]) => [id, t.operator]));
    expect(operatorsAfter).toEqual(operatorsBefore);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    writeFileSync(join(ARTIFACTS, 'health.json'), JSON.stringify(((await (await fetch(`${dash.url}api/state`)).json()) as { health: unknown }).health, null, 2));
  }, 180_000);

  it('says when no new revision comes, shows a corrupt file, and clears both when the sim restarts', async () => {
    await stopSim();
    await page.locator('[data-testid=stale]').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.locator('[data-testid=stale]').textContent()).toMatch(/^No new revision since /);
    const lastGood = await attr('[data-testid=train-marker][data-train=T1]', 'data-distance-m');

    writeFileSync(path, '{"schemaVersion": 1, "trains": {"T1": ');
    const banner = page.locator('[data-testid=doc-error]');
    await banner.waitFor({ state: 'visible', timeout: 60_000 });
    expect(await banner.textContent()).toContain('not valid JSON');
    expect(await banner.textContent()).toContain('Showing the last good revision.');
    // The last good view stays on the page.
    expect(await attr('[data-testid=train-marker][data-train=T1]', 'data-distance-m')).toBe(lastGood);
    expect(await page.locator('[data-testid=block]').count()).toBe(GREEN_BLOCKS);

    sim = startSim();
    await banner.waitFor({ state: 'hidden', timeout: 60_000 });
    await page.locator('[data-testid=stale]').waitFor({ state: 'hidden', timeout: 60_000 });
  }, 180_000);

  it('left nothing on the browser console but the network line of the one refusal it provoked', () => {
    // Chromium logs every 4xx answer as "Failed to load resource"; the 422 of the invalid gain above
    // is expected. Anything else (a script error, a missing file, a second refusal) fails here.
    expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
  });
});
