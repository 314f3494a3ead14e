import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseStoreUrl } from '@rail/redis-store';
import { SimError } from './errors.js';
import { DEFAULT_FILE } from './paths.js';

export interface DemoOptions {
  /** Simulated time to run, s. */
  durationS: number;
  trains: number;
  /** Simulated time between two dispatches from the yard, s. */
  headwayS: number;
  line: 'Green' | 'Blue';
  /** Simulated seconds per wall second. */
  speed: number;
  /** Simulated seconds per module tick. */
  periodS: number;
  /** The shared store: an absolute file path, or a `redis://host:port/key` URL. */
  store: string;
  /** Where the writers' commit ledgers go; null: next to the file, or under var/demo for Redis. */
  ledgerDir: string | null;
  /** Serve @rail/dashboard on the store from the parent process during the run. */
  dashboard: boolean;
  /** Dashboard port; 0: a free one. */
  port: number;
  /** A legacy train_data.json whose trains (through the importer) are dispatched instead of fresh Flexity 2s. */
  from: string | null;
  chaos: boolean;
  seed: number;
  json: boolean;
}

/** Defaults measured to finish in well under a minute of wall time with every train serving at least two stations. */
export const DEMO_DEFAULTS = Object.freeze({
  durationS: 600,
  trains: 3,
  headwayS: 60,
  line: 'Green' as const,
  speed: 30,
  periodS: 0.5,
});

export const DEMO_USAGE = `usage: pnpm demo [options]
  --duration <s>   simulated time to run (default ${DEMO_DEFAULTS.durationS})
  --trains <n>     trains to dispatch from the yard (default ${DEMO_DEFAULTS.trains})
  --headway <s>    simulated time between dispatches (default ${DEMO_DEFAULTS.headwayS})
  --line <name>    Green or Blue (default ${DEMO_DEFAULTS.line})
  --speed <x>      simulated seconds per wall second (default ${DEMO_DEFAULTS.speed})
  --period <s>     simulated seconds per module tick (default ${DEMO_DEFAULTS.periodS})
  --store <url>    the shared store: a path, file:./x.json or redis://host:port/key
                   (default <repo>/var/demo/train_data.json; the document is recreated)
  --file <path>    the same as --store with a path (kept for older scripts)
  --ledger-dir <d> where the writers' commit ledgers go (default <file>.commits, or
                   <repo>/var/demo/<host>-<port>-<db>-<key>.commits for Redis)
  --dashboard      serve the live dashboard on 127.0.0.1 during the run (URL printed first)
  --port <n>       the dashboard's port (default: a free one); needs --dashboard
  --from <legacy>  dispatch the trains of a legacy train_data.json (through the importer)
  --chaos          SIGKILL a random module process at random moments and restart it
  --seed <n>       seed of the chaos schedule (default: random, printed)
  --json           print the final summary as JSON (no live view)
exit codes: 0 all invariants held, 1 an invariant failed, 64 usage error, 70 the run could not be carried out`;

function positiveNumber(flag: string, value: string | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new SimError('USAGE', `--${flag} needs a ${integer ? 'whole ' : ''}number greater than 0, got ${JSON.stringify(value)}.`);
  }
  return n;
}

/** Parses the demo's command line; throws SimError USAGE with what was wrong. `randomSeed` is only used when --seed is absent. */
export function parseDemoArgs(argv: string[], randomSeed: () => number): DemoOptions | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: 'string' },
        trains: { type: 'string' },
        headway: { type: 'string' },
        line: { type: 'string' },
        speed: { type: 'string' },
        period: { type: 'string' },
        file: { type: 'string' },
        store: { type: 'string' },
        'ledger-dir': { type: 'string' },
        dashboard: { type: 'boolean' },
        port: { type: 'string' },
        from: { type: 'string' },
        chaos: { type: 'boolean' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new SimError('USAGE', (error as Error).message, { cause: error });
  }
  if (values.help === true) return 'help';
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const lineText = str('line') ?? DEMO_DEFAULTS.line;
  const line = lineText.toLowerCase() === 'green' ? 'Green' : lineText.toLowerCase() === 'blue' ? 'Blue' : null;
  if (line === null) throw new SimError('USAGE', `--line must be Green or Blue, got ${JSON.stringify(lineText)}.`);
  const seedText = str('seed');
  if (seedText !== undefined && !/^\d+$/.test(seedText)) throw new SimError('USAGE', `--seed needs a whole number ≥ 0, got ${JSON.stringify(seedText)}.`);
  if (str('store') !== undefined && str('file') !== undefined) throw new SimError('USAGE', '--store and --file both name the store: give one of them.');
  const storeText = str('store') ?? str('file') ?? DEFAULT_FILE;
  let store: string;
  try {
    const location = parseStoreUrl(storeText);
    store = location.kind === 'file' ? location.path : storeText;
  } catch (error) {
    throw new SimError('USAGE', `--store: ${(error as Error).message}`, { cause: error });
  }
  const portText = str('port');
  if (portText !== undefined && values.dashboard !== true) throw new SimError('USAGE', '--port is the dashboard\'s port: add --dashboard.');
  if (portText !== undefined && (!/^\d+$/.test(portText) || Number(portText) > 65_535)) {
    throw new SimError('USAGE', `--port needs a whole number from 0 to 65535 (0 = a free port), got ${JSON.stringify(portText)}.`);
  }
  const ledgerDir = str('ledger-dir');
  return {
    durationS: positiveNumber('duration', str('duration'), DEMO_DEFAULTS.durationS),
    trains: positiveNumber('trains', str('trains'), DEMO_DEFAULTS.trains, true),
    headwayS: positiveNumber('headway', str('headway'), DEMO_DEFAULTS.headwayS),
    line,
    speed: positiveNumber('speed', str('speed'), DEMO_DEFAULTS.speed),
    periodS: positiveNumber('period', str('period'), DEMO_DEFAULTS.periodS),
    store,
    ledgerDir: ledgerDir === undefined ? null : resolve(ledgerDir),
    dashboard: values.dashboard === true,
    port: portText === undefined ? 0 : Number(portText),
    from: str('from') === undefined ? null : resolve(str('from') as string),
    chaos: values.chaos === true,
    seed: seedText === undefined ? randomSeed() : Number(seedText) >>> 0,
    json: values.json === true,
  };
}
