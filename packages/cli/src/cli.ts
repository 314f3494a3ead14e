import { parseArgs } from 'node:util';
import { formatDoctorReport } from './doctor/format-doctor.js';
import { DOCTOR_DEFAULTS, runDoctor } from './doctor/run-doctor.js';
import { RailCliError } from './errors.js';
import { importLegacy } from './import-legacy.js';
import { formatInspect, inspect } from './inspect.js';
import { serveDashboard } from './serve-dashboard.js';

/** Exit codes of the `rail` command. */
export const EXIT = Object.freeze({ ok: 0, fail: 1, warn: 2, usage: 64 });

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * For long-running commands (`rail dashboard`): resolves, with the reason, when the command should
   * stop. Default: the first SIGINT or SIGTERM of this process.
   */
  untilStopped?: () => Promise<string>;
}

export const USAGE = `usage:
  rail doctor <store> [--watch <s>] [--period <s>] [--json]
      checks a shared store: for a file the document, activity, backup, quarantine, temp files, lock,
      trains; for Redis the server, persistence, document, activity, last writer, trains
      --watch <s>   how long to watch for new revisions (default ${DOCTOR_DEFAULTS.watchMs / 1000}; 0 = judge by the last change)
      --period <s>  expected wall time between commits while modules run (default ${DOCTOR_DEFAULTS.expectedPeriodMs / 1000})
      exit 0 all pass, 1 any fail, 2 warnings only
  rail inspect <store> [--json]       a table of the trains
  rail dashboard <store> [--port <n>] serves the live dashboard on 127.0.0.1 (default: a free port)
                                      until Ctrl-C / SIGTERM
  rail import <legacy> <out> [--line <name>] [--keep-position] [--force] [--json]
                                      converts a legacy team file into a schema document
  rail help
<store>: a path or file:./train_data.json, or redis://host:port/key, redis://host:port/db/key
exit 64: usage error`;

/** Runs one `rail` command line (without the leading `node rail`) and returns its exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'doctor':
        return await doctorCommand(rest, io);
      case 'inspect':
        return await inspectCommand(rest, io);
      case 'import':
        return await importCommand(rest, io);
      case 'dashboard':
        return await dashboardCommand(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return EXIT.ok;
      case undefined:
        throw new RailCliError('USAGE', 'rail: no command given.');
      default:
        throw new RailCliError('USAGE', `rail: unknown command ${JSON.stringify(command)}.`);
    }
  } catch (error) {
    if (RailCliError.isInstance(error)) {
      io.stderr(error.message);
      if (error.code === 'USAGE' || error.code === 'BAD_URL') {
        io.stderr(USAGE);
        return EXIT.usage;
      }
      return EXIT.fail;
    }
    throw error;
  }
}

function parse(command: string, args: string[], options: NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>, positionals: number) {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new RailCliError('USAGE', `rail ${command}: ${(error as Error).message}`, { cause: error });
  }
  if (parsed.positionals.length !== positionals) {
    throw new RailCliError('USAGE', `rail ${command}: expected ${positionals} store/path argument(s), got ${parsed.positionals.length}.`);
  }
  return parsed;
}

function seconds(command: string, flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new RailCliError('USAGE', `rail ${command}: --${flag} needs a number of seconds ≥ 0, got ${JSON.stringify(value)}.`);
  }
  return n * 1000;
}

async function doctorCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('doctor', args, { watch: { type: 'string' }, period: { type: 'string' }, json: { type: 'boolean' } }, 1);
  const watchMs = seconds('doctor', 'watch', values.watch);
  const expectedPeriodMs = seconds('doctor', 'period', values.period);
  if (expectedPeriodMs === 0) throw new RailCliError('USAGE', 'rail doctor: --period must be greater than 0.');
  const report = await runDoctor(positionals[0] as string, {
    ...(watchMs === undefined ? {} : { watchMs }),
    ...(expectedPeriodMs === undefined ? {} : { expectedPeriodMs }),
  });
  io.stdout(values.json === true ? JSON.stringify(report, null, 2) : formatDoctorReport(report));
  return report.exitCode;
}

async function inspectCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('inspect', args, { json: { type: 'boolean' } }, 1);
  const result = await inspect(positionals[0] as string);
  io.stdout(values.json === true ? JSON.stringify(result, null, 2) : formatInspect(result));
  return EXIT.ok;
}

async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    'import',
    args,
    { force: { type: 'boolean' }, json: { type: 'boolean' }, line: { type: 'string' }, 'keep-position': { type: 'boolean' } },
    2,
  );
  const result = await importLegacy(positionals[0] as string, positionals[1] as string, {
    force: values.force === true,
    ...(typeof values.line === 'string' ? { line: values.line } : {}),
    keepPosition: values['keep-position'] === true,
  });
  if (values.json === true) {
    io.stdout(JSON.stringify({ input: result.inputPath, output: result.outputPath, report: result.reportText }, null, 2));
  } else {
    io.stdout(`${result.reportText}\nwrote ${result.outputPath} (${Object.keys(result.document.trains).length} trains)`);
  }
  return EXIT.ok;
}

async function dashboardCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('dashboard', args, { port: { type: 'string' } }, 1);
  const port = portNumber(values.port);
  const served = await serveDashboard(positionals[0] as string, { port });
  io.stdout(`rail dashboard: ${served.store}\n${served.url}`);
  const reason = await (io.untilStopped ?? untilSignal)();
  await served.close();
  io.stdout(`rail dashboard: stopped (${reason}).`);
  return EXIT.ok;
}

function portNumber(value: unknown): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || n > 65_535) {
    throw new RailCliError('USAGE', `rail dashboard: --port needs a whole number from 0 to 65535 (0 = a free port), got ${JSON.stringify(value)}.`);
  }
  return n;
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
