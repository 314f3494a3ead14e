import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (apps/sim/src → ../../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where `pnpm demo` keeps its shared file: the gitignored working area `/var/` of the repo. */
export const DEFAULT_FILE = join(REPO_ROOT, 'var', 'demo', 'train_data.json');

/** A module process's entry script. */
export function processScript(module: string): string {
  return fileURLToPath(new URL(`./processes/${module}.ts`, import.meta.url));
}

/** tsx's loader, resolved from here so a child runs `node --import <loader> script.ts` with no extra tsx wrapper process (a SIGKILL must hit the module itself). */
export function tsxLoader(): string {
  return import.meta.resolve('tsx');
}
