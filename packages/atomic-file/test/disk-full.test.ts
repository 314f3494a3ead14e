import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicFileError, nodeFileSystem, openJsonFile } from '../src/index.js';
import { faultyFs, makeTempDir, osError, removeTempDirs, tempLeftovers } from './helpers.js';

const TMPFS_BYTES = 64 * 1024;

/** A real 64 KiB tmpfs when we may mount (root on Linux); otherwise null and the injected path runs. */
function mountSmallTmpfs(): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null;
  const dir = makeTempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_BYTES}`, 'tmpfs', dir], { stdio: 'pipe' });
    return dir;
  } catch (error) {
    console.warn(`disk-full test: could not mount a tmpfs (${String(error)}); using injected ENOSPC instead`);
    return null;
  }
}

const mounted = mountSmallTmpfs();
afterAll(() => {
  if (mounted !== null) execFileSync('umount', [mounted]);
  removeTempDirs();
});

interface Doc {
  payload: string;
  revision?: number;
}

const path = mounted === null ? 'injected short write + ENOSPC (not root, or mount refused)' : `real ${TMPFS_BYTES / 1024} KiB tmpfs`;

describe(`a disk that fills up during the write (${path})`, () => {
  it('raises WRITE_FAILED (ENOSPC), keeps the old file byte-identical and leaves no temp file', async () => {
    const dir = mounted ?? makeTempDir();
    const file = join(dir, 'doc.json');
    writeFileSync(file, `${JSON.stringify({ payload: 'old', revision: 1 })}\n`);
    const before = readFileSync(file);
    let fs = nodeFileSystem;
    if (mounted === null) {
      let writes = 0;
      fs = faultyFs({
        writeSync: (fd, buffer, offset, length, position) => {
          writes += 1;
          if (writes === 1) return nodeFileSystem.writeSync(fd, buffer, offset, Math.floor(length / 2), position);
          throw osError('ENOSPC', 'write', file);
        },
      });
    }
    // Twice the file system's size: it cannot fit.
    const doc = openJsonFile<Doc>(file, { fs, backup: false });
    const error = await doc.write({ payload: 'y'.repeat(2 * TMPFS_BYTES) }).then(
      () => null,
      (e: unknown) => e,
    );
    await doc.close();
    expect(AtomicFileError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'WRITE_FAILED', path: file });
    expect(((error as AtomicFileError).cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(readFileSync(file)).toEqual(before);
    expect(tempLeftovers(dir)).toEqual([]);
    // Space is free again: a write that fits goes through.
    const commit = await openJsonFile<Doc>(file, { backup: false }).write({ payload: 'small' });
    expect(commit.revision).toBe(2);
  });
});
