import { dirname } from 'node:path';
import { AtomicFileError, describeCause, errnoCode } from './errors.js';
import type { FileSystemLayer } from './fs-layer.js';
import { backupPath, tempFilePath } from './paths.js';
import { identityOf, type FileIdentity } from './read-document.js';
import { withRetry, type RetryContext } from './with-retry.js';

export interface WriteContext extends RetryContext {
  fs: FileSystemLayer;
  durable: boolean;
}

export interface PublishPlan {
  bytes: Buffer;
  /** Permission bits to give the new file (the old file's), or undefined for a new file. */
  mode: number | undefined;
  /** Keep the current target as `<file>.backup` before replacing it. */
  saveBackup: boolean;
  /** Throws (LOCK_COMPROMISED) if this process may no longer publish. Called right before the rename. */
  fence(): void;
}

/** Codes of link() meaning "this file system has no hard links here": copy instead. */
const NO_LINK_CODES = new Set(['ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK', 'EPERM', 'EINVAL']);
/** Codes of fsync on a directory meaning "not possible here" (some FUSE and network file systems). */
const NO_DIR_SYNC_CODES = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EISDIR', 'EPERM', 'EBADF']);
const MAX_ZERO_WRITES = 100;

const CREATE_EXCLUSIVE = 'wx';

function writeAll(fs: FileSystemLayer, fd: number, bytes: Buffer, progress: { offset: number }): void {
  let zeroWrites = 0;
  while (progress.offset < bytes.length) {
    const written = fs.writeSync(fd, bytes, progress.offset, bytes.length - progress.offset, null);
    if (written <= 0) {
      zeroWrites += 1;
      if (zeroWrites >= MAX_ZERO_WRITES) {
        throw Object.assign(new Error(`write made no progress ${MAX_ZERO_WRITES} times at byte ${progress.offset} of ${bytes.length}`), { code: 'ENOSPC' });
      }
      continue;
    }
    zeroWrites = 0;
    progress.offset += written;
  }
}

/** Unlinks a file of ours, reporting (not throwing) a failure: cleanup must not hide the real error. */
function discard(ctx: WriteContext, path: string): void {
  try {
    ctx.fs.unlinkSync(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    ctx.emit({ type: 'error', path: ctx.target, code: errnoCode(error) ?? 'UNKNOWN', message: `could not remove temp file ${path}: ${describeCause(error)}; it is swept once this process has exited` });
  }
}

/** Creates `path` exclusively and writes all of `bytes` (fsync when durable). Returns its identity. */
async function writeNewFile(ctx: WriteContext, path: string, bytes: Buffer, mode: number | undefined): Promise<FileIdentity> {
  const fd = await withRetry(ctx, {
    op: 'open',
    subject: path,
    failCode: 'WRITE_FAILED',
    advice: 'Check that the directory exists and is writable.',
    run: () => ctx.fs.openSync(path, CREATE_EXCLUSIVE, mode ?? 0o666),
  });
  let closed = false;
  try {
    ctx.fs.step?.('temp-created', path);
    // open() applies the umask; the old file's exact mode is what must survive.
    if (mode !== undefined) ctx.fs.fchmodSync(fd, mode);
    const progress = { offset: 0 };
    await withRetry(ctx, {
      op: 'write',
      subject: path,
      failCode: 'WRITE_FAILED',
      advice: 'Free disk space (ENOSPC) or check the disk; the old file is unchanged.',
      run: () => writeAll(ctx.fs, fd, bytes, progress),
    });
    ctx.fs.step?.('temp-written', path);
    if (ctx.durable) {
      await withRetry(ctx, {
        op: 'fsync',
        subject: path,
        failCode: 'WRITE_FAILED',
        advice: 'Check the disk; the old file is unchanged.',
        run: () => ctx.fs.fsyncSync(fd),
      });
      ctx.fs.step?.('temp-synced', path);
    }
    const identity = identityOf(ctx.fs.fstatSync(fd));
    closed = true;
    ctx.fs.closeSync(fd);
    return identity;
  } finally {
    if (!closed) ctx.fs.closeSync(fd);
  }
}

/**
 * Opens the backup about to be replaced, so that freeing its inode (the last link goes away in the
 * rename: ~0.1 ms of block and inode bookkeeping for a 20 KB file, inside the lock) happens when
 * the descriptor is closed after the lock is released. Best effort: null if it cannot be opened.
 */
function pinOldBackup(ctx: WriteContext): number | null {
  // Windows may refuse to replace a file another handle has open: not worth the risk there.
  if (process.platform === 'win32') return null;
  try {
    return ctx.fs.openSync(backupPath(ctx.target), 'r');
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') {
      ctx.emit({ type: 'error', path: ctx.target, code: errnoCode(error) ?? 'UNKNOWN', message: `could not open the old backup ${backupPath(ctx.target)} (${describeCause(error)}); it is replaced anyway` });
    }
    return null;
  }
}

function closeReporting(ctx: WriteContext, fd: number, path: string): void {
  try {
    ctx.fs.closeSync(fd);
  } catch (error) {
    ctx.emit({ type: 'error', path: ctx.target, code: errnoCode(error) ?? 'UNKNOWN', message: `could not close ${path}: ${describeCause(error)}` });
  }
}

/** Keeps the current target as the backup: a hard link of the old inode (no data copied), else a copy. */
async function saveBackup(ctx: WriteContext, deferred: Array<() => void>): Promise<void> {
  const staging = tempFilePath(ctx.target);
  const pinned = pinOldBackup(ctx);
  if (pinned !== null) deferred.push(() => closeReporting(ctx, pinned, backupPath(ctx.target)));
  try {
    try {
      ctx.fs.linkSync(ctx.target, staging);
    } catch (error) {
      const code = errnoCode(error);
      if (code === undefined || !NO_LINK_CODES.has(code)) throw error;
      const bytes = ctx.fs.readFileSync(ctx.target);
      await writeNewFile(ctx, staging, bytes, undefined);
    }
    await withRetry(ctx, {
      op: 'rename',
      subject: backupPath(ctx.target),
      failCode: 'WRITE_FAILED',
      advice: 'Close programs holding the backup file open; the old file is unchanged.',
      run: () => ctx.fs.renameSync(staging, backupPath(ctx.target)),
    });
    // rename() between two links of one inode succeeds without doing anything (POSIX), which
    // happens when a crash came between the backup and the publish: the staging link stays.
    discard(ctx, staging);
    ctx.fs.step?.('backup-saved', ctx.target);
  } catch (error) {
    discard(ctx, staging);
    if (AtomicFileError.isInstance(error)) throw error;
    throw new AtomicFileError(
      'WRITE_FAILED',
      `Could not keep the backup ${backupPath(ctx.target)} before replacing ${ctx.target} (${describeCause(error)}). Nothing was written; check the disk and permissions.`,
      { path: ctx.target, operation: 'backup', cause: error },
    );
  }
}

function syncDirectory(ctx: WriteContext, dir: string): void {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  let fd: number;
  try {
    fd = ctx.fs.openSync(dir, 'r');
  } catch (error) {
    throw new AtomicFileError('WRITE_FAILED', `Could not open directory ${dir} to make the new ${ctx.target} durable (${describeCause(error)}). The new content is in place but may not survive a power loss.`, {
      path: ctx.target,
      operation: 'fsync-dir',
      cause: error,
    });
  }
  try {
    ctx.fs.fsyncSync(fd);
  } catch (error) {
    const code = errnoCode(error);
    // A file system that cannot fsync directories (some FUSE/network mounts) has nothing to flush here.
    if (code !== undefined && NO_DIR_SYNC_CODES.has(code)) return;
    throw new AtomicFileError('WRITE_FAILED', `fsync of directory ${dir} failed (${describeCause(error)}) after replacing ${ctx.target}. The new content is in place but may not survive a power loss; check the disk.`, {
      path: ctx.target,
      operation: 'fsync-dir',
      cause: error,
    });
  } finally {
    ctx.fs.closeSync(fd);
  }
}

export interface Published {
  /** Identity of the new file. */
  identity: FileIdentity;
  /** Work that may wait until the lock is released (freeing the replaced backup). Never throws. */
  afterUnlock(): void;
}

/**
 * Atomically replaces the target: exclusive temp file next to it, every byte written, fsync,
 * backup of the old state, fence check, rename (then `syncTargetDirectory`). Until the rename the
 * old file is untouched; on any failure the temp file is removed.
 */
export async function publish(ctx: WriteContext, plan: PublishPlan): Promise<Published> {
  const temp = tempFilePath(ctx.target);
  const deferred: Array<() => void> = [];
  const afterUnlock = () => {
    for (const task of deferred.splice(0)) task();
  };
  let identity: FileIdentity;
  try {
    identity = await writeNewFile(ctx, temp, plan.bytes, plan.mode);
    if (plan.saveBackup) await saveBackup(ctx, deferred);
    ctx.fs.step?.('before-publish', ctx.target);
    plan.fence();
    await withRetry(ctx, {
      op: 'rename',
      subject: ctx.target,
      failCode: 'WRITE_FAILED',
      advice: 'Close programs holding the file open (editors, virus scanners, sync clients); the old file is unchanged.',
      run: () => ctx.fs.renameSync(temp, ctx.target),
    });
  } catch (error) {
    discard(ctx, temp);
    afterUnlock();
    if (AtomicFileError.isInstance(error)) throw error;
    throw new AtomicFileError('WRITE_FAILED', `Writing ${ctx.target} failed (${describeCause(error)}). The old file is unchanged; check the disk and permissions.`, {
      path: ctx.target,
      operation: 'write',
      cause: error,
    });
  }
  try {
    ctx.fs.step?.('published', ctx.target);
  } catch (error) {
    afterUnlock();
    throw error;
  }
  return { identity, afterUnlock };
}

/** Makes the rename durable (durable mode). Throws WRITE_FAILED: the new content is visible but may not survive power loss. */
export function syncTargetDirectory(ctx: WriteContext): void {
  if (!ctx.durable) return;
  syncDirectory(ctx, dirname(ctx.target));
  ctx.fs.step?.('dir-synced', ctx.target);
}

/** Keeps the bad bytes of the primary aside (hard link, else copy) before it is replaced. */
export async function quarantine(ctx: WriteContext, quarantineTo: string): Promise<void> {
  try {
    ctx.fs.linkSync(ctx.target, quarantineTo);
  } catch (error) {
    const code = errnoCode(error);
    if (code === undefined || !NO_LINK_CODES.has(code)) {
      throw new AtomicFileError('WRITE_FAILED', `Could not keep the corrupt ${ctx.target} aside as ${quarantineTo} (${describeCause(error)}). Nothing was written; check the disk and permissions.`, {
        path: ctx.target,
        operation: 'quarantine',
        cause: error,
      });
    }
    await writeNewFile(ctx, quarantineTo, ctx.fs.readFileSync(ctx.target), undefined);
  }
}
