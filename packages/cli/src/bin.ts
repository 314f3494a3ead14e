#!/usr/bin/env node
import { runCli } from './cli.js';

// `pnpm rail …` at the repo root runs this through the package's own `rail` script, whose working
// directory is packages/cli: resolve the user's relative paths from where they typed the command.
if (process.env.npm_lifecycle_event === 'rail' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Only bugs reach here: every expected failure is a RailCliError with its own message.
    process.stderr.write(`rail: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
