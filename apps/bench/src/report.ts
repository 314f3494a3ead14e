import type { BenchResults, RatedRow } from './results.js';
import type { FloorRow } from './run-contended.js';

const num = (n: number | null | undefined, digits = 2): string => (n === null || n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
const ratio = (n: number | null): string => (n === null ? '—' : `${n.toFixed(2)}×`);

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function contendedTable(rows: readonly RatedRow[]): string {
  return table(
    ['contender', 'procs', 'trains', 'file bytes', 'updates', 'ops/s', 'p50 ms', 'p99 ms', 'expected', 'final', 'lost', 'failed', 'torn reads', 'counter went back', '× SQLite JSON row', '× SQLite counter', '× PL+WFA', '× floor'],
    rows.map((r) => [
      r.contender,
      String(r.processes),
      String(r.trains),
      r.fileBytesAfter === null ? (r.contender.startsWith('redis') ? '(redis)' : '(db)') : String(r.fileBytesAfter),
      String(r.updates),
      num(r.opsPerSec, 0),
      num(r.p50Ms),
      num(r.p99Ms),
      String(r.expected),
      r.final === null ? 'corrupt' : String(r.final),
      r.lostUpdates === null ? 'all?' : String(r.lostUpdates),
      String(r.failedUpdates),
      `${r.tornReads}/${r.readerReads}`,
      String(r.counterDecreases),
      ratio(r.ratios.vsSqliteJson),
      ratio(r.ratios.vsSqliteCounter),
      ratio(r.ratios.vsProperLockfileWfa),
      ratio(r.ratios.vsFloor),
    ]),
  );
}

function floorTable(rows: readonly FloorRow[]): string {
  return table(
    ['floor', 'trains', 'bytes', 'writes', 'ops/s', 'p50 ms', 'p99 ms'],
    rows.map((f) => [f.variant === 'floor' ? 'temp write + fsync + rename' : 'temp write + fsync + rename + dir fsync', String(f.trains), String(f.documentBytes), String(f.updates), num(f.opsPerSec, 0), num(f.p50Ms), num(f.p99Ms)]),
  );
}

/** The whole report as markdown (what goes to stdout and results/latest.md). */
export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const out: string[] = [
    `# rail bench (${results.mode})`,
    '',
    `${results.date} · Node ${m.node} · ${m.cpus} × ${m.cpuModel} · ${m.platform} · load ${num(m.loadAverage1m)} at start · K = ${results.settings.k} updates per process, after ${results.settings.warmup} untimed warm-up updates per writer`,
    '',
  ];
  for (const w of results.warnings) out.push(`> **warning:** ${w}`, '');
  if (results.rows.length > 0) {
    const bytes = results.rows[0]?.documentBytes;
    out.push(
      `## Contended read-modify-write (${results.rows[0]?.trains ?? 10}-train train_data.json, ${bytes ?? '?'} bytes)`,
      '',
      'Each process: read → parse → increment → stringify → write the whole document, K times (after the warm-up: each writer in turn does its untimed warm-up updates before the barrier). Ratios are ops/s against the row at the same process count; "× floor" is against the one-process floor with directory fsync. "torn reads" = unparsable reads by a concurrent reader / its reads; "failed" = updates that threw.',
      '',
      contendedTable(results.rows),
      '',
    );
    const errorNotes = results.rows.filter((r) => r.errorSamples.length > 0 || r.problem !== null);
    for (const r of errorNotes) out.push(`- ${r.contender} × ${r.processes}: ${[r.problem, ...r.errorSamples].filter(Boolean).join(' · ')}`);
    if (errorNotes.length > 0) out.push('');
  }
  if (results.floor.length > 0) out.push('## Physical floor (one process, same disk)', '', floorTable(results.floor), '');
  if (results.targets.length > 0) {
    out.push('## Targets for @rail/atomic-file', '', table(['target', 'measured', 'met'], results.targets.map((t) => [t.target, t.measured, t.met ? 'yes' : '**no**'])), '');
  }
  if (results.staleRecovery.length > 0) {
    out.push(
      '## Stale-lock recovery (SIGKILL of the holder → waiter’s update done)',
      '',
      table(['variant', 'config', 'trials', 'median ms', 'max ms'], results.staleRecovery.map((s) => [s.variant, s.config, String(s.trials), num(s.medianMs, 1), num(s.maxMs, 1)])),
      '',
    );
  }
  if (results.readPath.length > 0) {
    out.push('## Read path (10-train file, one process)', '', table(['operation', 'iterations', 'ops/s', 'p50 ms', 'p99 ms'], results.readPath.map((r) => [r.operation, String(r.iterations), num(r.opsPerSec, 0), num(r.p50Ms, 4), num(r.p99Ms, 4)])), '');
  }
  if (results.watch.length > 0) {
    out.push(
      '## watch notification latency (writer and watcher in two processes, a commit every 10 ms)',
      '',
      'commit (the writer’s update resolved) → the watcher’s listener called.',
      '',
      table(
        ['store', 'config', 'commits', 'notified', 'missed', 'p50 ms', 'p99 ms', 'max ms', 'watch errors'],
        results.watch.map((w) => [w.store, w.config, String(w.commits), String(w.notified), String(w.missed), num(w.p50Ms), num(w.p99Ms), num(w.maxMs), w.errors.length === 0 ? '0' : `${w.errors.length}: ${w.errors.slice(0, 3).join('; ')}`]),
      ),
      '',
    );
  }
  if (results.scale.length > 0) {
    out.push('## Scale: file size (4 processes)', '', contendedTable(results.scale), '', floorTable(results.scaleFloor), '');
  }
  if (results.skipped.length > 0) {
    out.push('## Skipped', '', ...results.skipped.map((s) => `- ${s.what}: ${s.reason}`), '');
  }
  return `${out.join('\n')}\n`;
}
