import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listTempFiles } from '../src/index.js';
import { makeTempDir, removeTempDirs, startWorker } from './helpers.js';

afterAll(removeTempDirs);

describe('four processes incrementing one counter', () => {
  it('ends at exactly 4 × 500 = 2000 while a plain reader never sees a torn file or a revision going back', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'counter.json');
    const reader = startWorker('raw-reader.mjs', [file]);
    expect(await reader.nextLine()).toBe('ready');

    const writers = Array.from({ length: 4 }, () => startWorker('increment.mjs', [file, '500']));
    const results = await Promise.all(writers.map((w) => w.exited));
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });

    reader.child.kill('SIGTERM');
    const report = JSON.parse(await reader.nextLine()) as { reads: number; parseErrors: number; decreases: number; firstErrors: string[] };
    await reader.exited;

    const final = JSON.parse(readFileSync(file, 'utf8')) as { count: number; revision: number };
    expect(final.count).toBe(2000);
    // One committed write per update here (each worker awaits its update before the next).
    expect(final.revision).toBe(2000);
    expect(report.reads).toBeGreaterThan(0);
    expect(report.parseErrors, report.firstErrors.join('\n')).toBe(0);
    expect(report.decreases).toBe(0);
    expect(listTempFiles(file)).toEqual([]);
  });
});
