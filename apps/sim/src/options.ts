import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
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
  file: string;
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
  --file <path>    the shared file (default <repo>/var/demo/train_data.json; recreated)
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
  return {
    durationS: positiveNumber('duration', str('duration'), DEMO_DEFAULTS.durationS),
    trains: positiveNumber('trains', str('trains'), DEMO_DEFAULTS.trains, true),
    headwayS: positiveNumber('headway', str('headway'), DEMO_DEFAULTS.headwayS),
    line,
    speed: positiveNumber('speed', str('speed'), DEMO_DEFAULTS.speed),
    periodS: positiveNumber('period', str('period'), DEMO_DEFAULTS.periodS),
    file: resolve(str('file') ?? DEFAULT_FILE),
    from: str('from') === undefined ? null : resolve(str('from') as string),
    chaos: values.chaos === true,
    seed: seedText === undefined ? randomSeed() : Number(seedText) >>> 0,
    json: values.json === true,
  };
}
