import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isTrainData, parseTrainData } from '@rail/schema';
import type { AtomicFileAvailability } from './atomic-file-probe.js';
import { buildTrainData } from './document.js';
import { BenchError } from './errors.js';
import { summarize } from './quantiles.js';
import { prepareStore } from './workspace.js';

export interface ReadPathRow {
  operation: string;
  iterations: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

async function time(operation: string, iterations: number, fn: () => unknown): Promise<ReadPathRow> {
  // Warm-up so the JIT and the page cache are in the same state for every operation.
  for (let i = 0; i < Math.min(200, iterations); i += 1) await fn();
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < iterations; i += 1) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  const elapsed = performance.now() - start;
  const s = summarize(samples);
  return { operation, iterations, opsPerSec: (iterations / elapsed) * 1000, p50Ms: s.p50Ms, p99Ms: s.p99Ms };
}

/** Read + validate a 10-train file, against JSON.parse alone (in this process, no contention). */
export async function runReadPath(iterations: number, workDir: string, atomicFile: AtomicFileAvailability): Promise<ReadPathRow[]> {
  const dir = join(workDir, 'read-path');
  rmSync(dir, { recursive: true, force: true });
  const path = prepareStore(dir, 'file', buildTrainData(10));
  const text = readFileSync(path, 'utf8');
  try {
    const rows = [
      await time('JSON.parse (text in memory)', iterations, () => JSON.parse(text)),
      await time('readFileSync + JSON.parse', iterations, () => JSON.parse(readFileSync(path, 'utf8'))),
      await time('readFileSync + JSON.parse + isTrainData', iterations, () => {
        if (!isTrainData(JSON.parse(readFileSync(path, 'utf8')))) throw new BenchError('SETUP_FAILED', `${path}: read-path document is not valid.`);
      }),
      await time('readFileSync + parseTrainData', iterations, () => {
        if (!parseTrainData(readFileSync(path, 'utf8'), { source: path }).ok) throw new BenchError('SETUP_FAILED', `${path}: read-path document is not valid.`);
      }),
    ];
    if (atomicFile.ok) {
      const handle = await atomicFile.openJsonFile(path, { durability: 'durable', validate: isTrainData });
      try {
        rows.push(await time('@rail/atomic-file read() (validates)', iterations, () => handle.read()));
      } finally {
        await handle.close();
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
