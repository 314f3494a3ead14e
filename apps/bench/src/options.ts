import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENDER_IDS, isContenderId, type ContenderId } from './contenders.js';
import { BenchError } from './errors.js';

export interface BenchOptions {
  mode: 'full' | 'quick';
  /** Updates per process in the contended rows. */
  k: number;
  /** Untimed updates per writer before the barrier, one writer at a time (0: none). */
  warmup: number;
  processes: number[];
  contenders: ContenderId[];
  /** Train counts of the file-size scale rows ([] skips them). */
  scaleTrains: number[];
  scaleContenders: ContenderId[];
  staleTrials: { atomicFile: number; properLockfileTuned: number; properLockfileDefaults: number };
  readPathIterations: number;
  watchCommits: number;
  /** Where results/latest.{md,json} go. */
  outDir: string;
  /** Scratch directory for the contended files: must be on the disk being measured (not tmpfs). */
  workDir: string;
}

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

export const USAGE = `usage: pnpm bench [--quick] [--k <n>] [--warmup <n>] [--only <id,id,…>] [--processes <n,n,…>] [--out <dir>] [--dir <dir>]
  --quick       4 processes; @rail/atomic-file, proper-lockfile+wfa, SQLite, redis-store (appendfsync always) and the floor; small K (< 60 s)
  --k <n>       updates per process (default 200, quick 100)
  --warmup <n>  untimed updates per writer before the timed ones, one writer at a time (default 20, quick 5; 0: none)
  --only <ids>  contenders to run: ${CONTENDER_IDS.join(', ')}
  --processes   writer counts (default 1,2,4,8)
  --out <dir>   results directory (default apps/bench/results)
  --dir <dir>   scratch directory on the disk to measure (default apps/bench/.work)`;

function positiveInt(flag: string, text: string | undefined): number {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n < 1) throw new BenchError('BAD_ARGUMENT', `${flag} needs a positive integer, got ${JSON.stringify(text)}.\n${USAGE}`);
  return n;
}

/** Parses the command line (without node and script). Throws BAD_ARGUMENT with the usage on a bad flag. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let k: number | undefined;
  let warmup: number | undefined;
  let only: ContenderId[] | undefined;
  let processes: number[] | undefined;
  let outDir = resolve(APP_DIR, 'results');
  let workDir = resolve(APP_DIR, '.work');
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new BenchError('BAD_ARGUMENT', `${flag} needs a value.\n${USAGE}`);
      i += 1;
      return v;
    };
    switch (flag) {
      case '--quick':
        quick = true;
        break;
      case '--k':
        k = positiveInt('--k', value());
        break;
      case '--warmup': {
        const text = value();
        warmup = text === '0' ? 0 : positiveInt('--warmup', text);
        break;
      }
      case '--only':
        only = value().split(',').map((id) => {
          if (!isContenderId(id)) throw new BenchError('BAD_ARGUMENT', `--only: unknown contender ${JSON.stringify(id)}; known: ${CONTENDER_IDS.join(', ')}.`);
          return id;
        });
        break;
      case '--processes':
        processes = value().split(',').map((p) => positiveInt('--processes', p));
        break;
      case '--out':
        outDir = resolve(value());
        break;
      case '--dir':
        workDir = resolve(value());
        break;
      default:
        throw new BenchError('BAD_ARGUMENT', `unknown argument ${JSON.stringify(flag)}.\n${USAGE}`);
    }
  }
  const pick = (ids: readonly ContenderId[]): ContenderId[] => (only === undefined ? [...ids] : ids.filter((id) => only.includes(id)));
  if (quick) {
    return {
      mode: 'quick',
      k: k ?? 100,
      warmup: warmup ?? 5,
      processes: processes ?? [4],
      contenders: only ?? ['atomic-file', 'proper-lockfile+wfa', 'sqlite-counter', 'sqlite-json', 'redis-store'],
      scaleTrains: [],
      scaleContenders: [],
      staleTrials: { atomicFile: 0, properLockfileTuned: 0, properLockfileDefaults: 0 },
      readPathIterations: 0,
      watchCommits: 0,
      outDir,
      workDir,
    };
  }
  return {
    mode: 'full',
    k: k ?? 200,
    warmup: warmup ?? 20,
    processes: processes ?? [1, 2, 4, 8],
    contenders: pick(CONTENDER_IDS),
    scaleTrains: [1, 10, 100, 1000],
    scaleContenders: pick(['atomic-file', 'proper-lockfile+wfa', 'sqlite-json']),
    staleTrials: { atomicFile: 5, properLockfileTuned: 3, properLockfileDefaults: 1 },
    readPathIterations: 5000,
    watchCommits: 200,
    outDir,
    workDir,
  };
}
