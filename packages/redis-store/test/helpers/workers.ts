import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TSX_LOADER = fileURLToPath(new URL('../../../../node_modules/tsx/dist/loader.mjs', import.meta.url));

export interface WorkerResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs test/workers/<name>.ts in its own Node process (TypeScript through tsx). `prefix` runs it
 * through another command first, e.g. `['ip', 'netns', 'exec', ns]` to put it in a network namespace.
 */
export function runWorker(name: string, args: string[], prefix: string[] = []): Promise<WorkerResult> {
  const script = fileURLToPath(new URL(`../workers/${name}.ts`, import.meta.url));
  const command = [...prefix, process.execPath, '--import', TSX_LOADER, script, ...args];
  const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
  // 'close' comes after stdout and stderr are drained ('exit' can come before their last chunk).
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
