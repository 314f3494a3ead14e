import { randomInt } from 'node:crypto';
import { SimError } from './errors.js';
import { DEMO_USAGE, parseDemoArgs } from './options.js';
import { runDemo } from './run-demo.js';
import { formatSummary } from './summary.js';

const EXIT = { ok: 0, failed: 1, usage: 64, software: 70 } as const;

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    // The chaos seed is the one random input; it is printed so a run can be replayed.
    options = parseDemoArgs(argv, () => randomInt(0, 2 ** 31));
  } catch (error) {
    if (SimError.isInstance(error) && error.code === 'USAGE') {
      process.stderr.write(`pnpm demo: ${error.message}\n${DEMO_USAGE}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  if (options === 'help') {
    process.stdout.write(`${DEMO_USAGE}\n`);
    return EXIT.ok;
  }
  const summary = await runDemo(
    { ...options, trainsExplicit: argv.includes('--trains') },
    {
      view: options.json ? null : process.stdout,
      log: (line) => process.stderr.write(`${line}\n`),
    },
  );
  process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `\n${formatSummary(summary)}\n`);
  return summary.ok ? EXIT.ok : EXIT.failed;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = SimError.isInstance(error) ? `pnpm demo: ${error.message}` : `pnpm demo: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    process.stderr.write(`${message}\n`);
    process.exitCode = EXIT.software;
  },
);
