import { closeSync, openSync, readdirSync, readSync, fstatSync } from 'node:fs';
import { join } from 'node:path';

/** What one writer process's ledger says (see commit-ledger.ts for the line format). */
export interface WriterLedger {
  file: string;
  module: string;
  pid: number;
  /** Revisions this process saw committed, in order, without repeats. */
  committed: number[];
  /** The last P line not followed by its C line: a commit that may have become durable as the process died. */
  danglingPending: number | null;
  latenciesMs: number[];
  lockWaitsMs: number[];
  /** Store events by type (retry, restore, stale-lock, swept) and `error:<code>`. */
  events: Record<string, number>;
  runnerErrors: string[];
  /** Lines that did not parse (a kill in the middle of a line write would leave one). */
  badLines: number;
}

const NAME = /^commits-(.+)-(\d+)\.log$/;

/** Ledger file name for a module process. */
export function ledgerFileName(module: string, pid: number): string {
  return `commits-${module}-${pid}.log`;
}

/**
 * Reads every ledger in a directory, incrementally: each call reads only what was appended since the
 * last one, and keeps a partial last line for the next call.
 */
export class LedgerReader {
  private readonly ledgers = new Map<string, WriterLedger & { offset: number; partial: string; seen: Set<number> }>();

  constructor(private readonly dir: string) {}

  poll(): WriterLedger[] {
    for (const name of readdirSync(this.dir)) {
      const m = NAME.exec(name);
      if (m === null) continue;
      const file = join(this.dir, name);
      let entry = this.ledgers.get(file);
      if (entry === undefined) {
        entry = {
          file,
          module: m[1] ?? '?',
          pid: Number(m[2]),
          committed: [],
          danglingPending: null,
          latenciesMs: [],
          lockWaitsMs: [],
          events: {},
          runnerErrors: [],
          badLines: 0,
          offset: 0,
          partial: '',
          seen: new Set(),
        };
        this.ledgers.set(file, entry);
      }
      const text = entry.partial + readFrom(file, entry);
      const lines = text.split('\n');
      entry.partial = lines.pop() ?? '';
      for (const line of lines) apply(entry, line);
    }
    return [...this.ledgers.values()];
  }

  /** After every writer has exited: a partial last line is then final, and malformed. */
  finish(): WriterLedger[] {
    const all = this.poll();
    for (const entry of this.ledgers.values()) {
      if (entry.partial !== '') {
        entry.badLines += 1;
        entry.partial = '';
      }
    }
    return all;
  }
}

function readFrom(file: string, entry: { offset: number }): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= entry.offset) return '';
    const buffer = Buffer.alloc(size - entry.offset);
    const n = readSync(fd, buffer, 0, buffer.length, entry.offset);
    entry.offset += n;
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function apply(entry: WriterLedger & { seen: Set<number> }, line: string): void {
  const [kind, a, b, c] = line.split(' ');
  if (kind === 'P' && /^\d+$/.test(a ?? '')) {
    entry.danglingPending = Number(a);
  } else if (kind === 'C' && /^\d+$/.test(a ?? '') && b !== undefined && c !== undefined) {
    const rev = Number(a);
    if (entry.danglingPending === rev) entry.danglingPending = null;
    if (!entry.seen.has(rev)) {
      entry.seen.add(rev);
      entry.committed.push(rev);
      entry.latenciesMs.push(Number(b));
      entry.lockWaitsMs.push(Number(c));
    }
  } else if (kind === 'E' && a !== undefined) {
    const key = a === 'error' ? `error:${b ?? '?'}` : a;
    entry.events[key] = (entry.events[key] ?? 0) + 1;
  } else if (kind === 'X') {
    entry.runnerErrors.push(line.slice(2));
  } else {
    entry.badLines += 1;
  }
}
