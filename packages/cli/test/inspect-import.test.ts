import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTrainData } from '@rail/schema';
import { formatInspect, importLegacy, inspect, RailCliError } from '../src/index.js';
import { cleanupList, healthyDocument, tempDir, writeThroughStore } from './helpers.js';

const LEGACY = fileURLToPath(new URL('./fixtures/legacy-imperial-5-trains.json', import.meta.url));

const cleanups = cleanupList();
afterEach(() => cleanups.run());
function dir(): string {
  const t = tempDir();
  cleanups.add(t.cleanup);
  return t.dir;
}

describe('rail inspect', () => {
  it('shows each train with speed in km/h, power in kW and authority left', async () => {
    const file = join(dir(), 'train_data.json');
    await writeThroughStore(file, healthyDocument());

    const result = await inspect(file);
    const table = formatInspect(result);

    expect(result.trains.map((t) => t.id)).toEqual(['T1', 'T2']);
    const t1 = table.split('\n').find((l) => l.startsWith('T1'));
    // 10 m/s × 3.6 = 36.0 km/h; 60 000 W = 60.0 kW; authority 280 m as the model published it.
    expect(t1).toMatch(/^T1\s+Green\s+66\s+36\.0\s+70\s+68\s+60\.0\s+280\s+420\s+-\s+DORMONT/);
    const t2 = table.split('\n').find((l) => l.startsWith('T2'));
    expect(t2).toContain('GLENBURY');
    expect(t2).toContain('R');
    expect(t2).toContain('station-stop');
  });

  it('refuses a legacy file with a RailCliError that says how to import it', async () => {
    const error = await inspect(LEGACY).catch((e: unknown) => e);
    expect(RailCliError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INVALID_DOCUMENT' });
    expect((error as Error).message).toContain('rail import');
  });
});

describe('rail import', () => {
  it('converts the real legacy file into a valid schema document with its five trains', async () => {
    const out = join(dir(), 'train_data.json');

    const result = await importLegacy(LEGACY, out);

    const parsed = parseTrainData(readFileSync(out, 'utf8'), { source: out });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(Object.keys(parsed.value.trains)).toHaveLength(5);
    expect(result.reportText.length).toBeGreaterThan(0);
  });

  it('does not overwrite an existing output unless forced', async () => {
    const out = join(dir(), 'train_data.json');
    await importLegacy(LEGACY, out);
    const before = readFileSync(out, 'utf8');

    const error = await importLegacy(LEGACY, out).catch((e: unknown) => e);

    expect(RailCliError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(readFileSync(out, 'utf8')).toBe(before);
    await importLegacy(LEGACY, out, { force: true });
    expect(existsSync(out)).toBe(true);
  });

  it('reports a missing input as NOT_FOUND and writes nothing', async () => {
    const folder = dir();
    const error = await importLegacy(join(folder, 'nope.json'), join(folder, 'out.json')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect(existsSync(join(folder, 'out.json'))).toBe(false);
  });

  it('takes the line and, on request, keeps the legacy speeds and distances (with an unknown block)', async () => {
    const out = join(dir(), 'train_data.json');
    await importLegacy(LEGACY, out, { line: 'Blue', keepPosition: true });
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { trains: Record<string, { line: string; model?: { speedMps: number; distanceM: number; block: null } }> };
    const t1 = doc.trains.train_1!;
    expect(t1.line).toBe('Blue');
    // The fixture's train_1: 8.818288545163785 mph and 1299.4114512227818 yd, by hand in SI.
    expect(t1.model?.speedMps).toBeCloseTo(8.818288545163785 * 0.44704, 9);
    expect(t1.model?.distanceM).toBeCloseTo(1299.4114512227818 * 0.9144, 9);
    expect(t1.model?.block).toBeNull();
  });

  it('refuses URLs as a usage error: it reads and writes files', async () => {
    const folder = dir();
    const error = await importLegacy('redis://127.0.0.1:6379/old', join(folder, 'out.json')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'USAGE' });
    expect((error as Error).message).toContain('is a URL. Pass file paths');
    expect(existsSync(join(folder, 'out.json'))).toBe(false);
  });
});
