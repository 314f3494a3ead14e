import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { FileSystemLayer } from '../src/fs-layer.js';
import { nodeFileSystem } from '../src/fs-layer.js';

const made: string[] = [];

export function makeTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rail-atomic-file-'));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function workerPath(name: string): string {
  return new URL(`./workers/${name}`, import.meta.url).pathname;
}

export interface Worker {
  child: ChildProcess;
  /** Resolves with the next stdout line (each line is one JSON message). */
  nextLine(): Promise<string>;
  /** Resolves with the exit code (or signal name) and all stderr. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function startWorker(name: string, args: string[]): Worker {
  const child = spawn(process.execPath, [workerPath(name), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    // 'close', not 'exit': it comes after stdout and stderr are drained, so a line printed just
    // before exiting is never mistaken for a worker that exited without printing.
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
  return {
    child,
    nextLine: () => {
      const line = lines.shift();
      if (line !== undefined) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        waiting.push(resolve);
        void exited.then((result) => reject(new Error(`worker ${name} exited (${result.code ?? result.signal}) before printing a line: ${result.stderr}`)));
      });
    },
    exited,
  };
}

/** A pid that certainly belonged to a process that has exited. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

export function tempLeftovers(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.tmp') || name.endsWith('.tmpdir'));
}

export function osError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${syscall} '${path}'`), { code, syscall, path });
}

/** node:fs with some calls replaced. */
export function faultyFs(overrides: Partial<FileSystemLayer>): FileSystemLayer {
  return { ...nodeFileSystem, ...overrides };
}

/** Fails the first `times` calls of rename onto `target` with `code`, then behaves. */
export function failingRename(target: string, code: string, times: number): { fs: FileSystemLayer; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    fs: faultyFs({
      renameSync: (from, to) => {
        if (to === target) {
          calls += 1;
          if (calls <= times) throw osError(code, 'rename', to);
        }
        nodeFileSystem.renameSync(from, to);
      },
    }),
  };
}
