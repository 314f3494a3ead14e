// Measures N processes × M update increments on one small file (not a test: numbers for the report).
// Usage: node scripts/measure.mjs [processes=4] [increments=500] [durable|relaxed]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const processes = Number(process.argv[2] ?? 4);
const increments = Number(process.argv[3] ?? 500);
const durability = process.argv[4] ?? 'durable';
const dir = mkdtempSync(join(tmpdir(), 'atomic-file-measure-'));
const file = join(dir, 'counter.json');
const worker = new URL('../test/workers/increment.mjs', import.meta.url).pathname;

const started = performance.now();
const results = await Promise.all(
  Array.from({ length: processes }, () => new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, file, String(increments), durability], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => { out += chunk; });
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker exit ${code}`))));
  })),
);
const elapsedS = (performance.now() - started) / 1000;
// Contended window only: from the first worker's first update to the last worker's last one.
const busyS = (Math.max(...results.map((r) => r.endedAt)) - Math.min(...results.map((r) => r.startedAt))) / 1000;
const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
const q = (p) => all[Math.min(all.length - 1, Math.ceil(p * all.length) - 1)];
const final = JSON.parse(readFileSync(file, 'utf8'));
console.log(JSON.stringify({
  processes, increments, durability,
  finalCount: final.count, expected: processes * increments,
  updatesPerS: Math.round((processes * increments) / busyS),
  busyS: Number(busyS.toFixed(2)),
  wallS: Number(elapsedS.toFixed(2)),
  p50Ms: Number(q(0.5).toFixed(2)), p99Ms: Number(q(0.99).toFixed(2)), maxMs: Number(all[all.length - 1].toFixed(2)),
}));
rmSync(dir, { recursive: true, force: true });
