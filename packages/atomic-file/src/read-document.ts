import { AtomicFileError, describeCause, errnoCode, type AtomicFileIssue } from './errors.js';
import type { FileStat, FileSystemLayer } from './fs-layer.js';
import { backupPath } from './paths.js';
import type { RetryContext } from './with-retry.js';
import { withRetry } from './with-retry.js';

export type Validator = ((value: unknown) => boolean) & {
  issues?(value: unknown): Array<{ path: string; message: string; rule?: string }>;
};

/** What identifies one committed version of the file without reading it. */
export interface FileIdentity {
  ino: number;
  size: number;
  mtimeMs: number;
}

export function identityOf(stat: FileStat): FileIdentity {
  return { ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs };
}

export interface ReaderContext extends RetryContext {
  fs: FileSystemLayer;
  validate: Validator | undefined;
}

export type FileContent<T> =
  | { kind: 'missing' }
  | { kind: 'ok'; value: T; identity: FileIdentity; mode: number; bytes: Buffer }
  | { kind: 'bad'; reason: string; issues: AtomicFileIssue[]; identity: FileIdentity; mode: number };

/**
 * The validator's complaint about `value`, or null when it passes (or there is no validator). A
 * validator that throws instead of answering is reported as a VALIDATION error naming the file.
 */
export function validationProblem(
  validate: Validator | undefined,
  value: unknown,
  path: string,
  operation: string,
): { message: string; issues: AtomicFileIssue[] } | null {
  if (validate === undefined) return null;
  let issues: AtomicFileIssue[];
  try {
    if (validate(value)) return null;
    issues = validate.issues?.(value) ?? [];
  } catch (error) {
    throw new AtomicFileError(
      'VALIDATION',
      `The validate option threw while checking ${path} (${describeCause(error)}): a validator must return true or false. Fix the validator; nothing was written.`,
      { path, operation, cause: error },
    );
  }
  const shown = issues.slice(0, 5).map((issue) => `${issue.path === '' ? '/' : issue.path}: ${issue.message}`);
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : '';
  return { message: shown.length > 0 ? `${shown.join('; ')}${more}` : 'the validator rejected the value', issues };
}

const PASS_ENOENT = new Set(['ENOENT']);

/**
 * Reads one file through a single descriptor, so the identity (fstat) belongs to exactly the
 * bytes read even if the file is replaced meanwhile. Parse and validation problems are returned
 * as 'bad', never thrown: the caller decides between restore and CORRUPT.
 */
export async function readFileContent<T>(ctx: ReaderContext, path: string): Promise<FileContent<T>> {
  let fd: number;
  try {
    fd = await withRetry(ctx, {
      op: 'open',
      subject: path,
      failCode: 'READ_FAILED',
      advice: 'Check the file permissions.',
      passThrough: PASS_ENOENT,
      run: () => ctx.fs.openSync(path, 'r'),
    });
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  let stat: FileStat;
  let bytes: Buffer;
  try {
    stat = ctx.fs.fstatSync(fd);
    bytes = await withRetry(ctx, {
      op: 'read',
      subject: path,
      failCode: 'READ_FAILED',
      advice: 'Check the disk and the file permissions.',
      run: () => ctx.fs.readFileSync(fd),
    });
  } finally {
    ctx.fs.closeSync(fd);
  }
  const identity = identityOf(stat);
  const mode = stat.mode & 0o7777;
  const parsed = parseJson(bytes);
  if (!parsed.ok) return { kind: 'bad', reason: parsed.reason, issues: [], identity, mode };
  const problem = validationProblem(ctx.validate, parsed.value, path, 'read');
  if (problem !== null) return { kind: 'bad', reason: `fails validation: ${problem.message}`, issues: problem.issues, identity, mode };
  return { kind: 'ok', value: parsed.value as T, identity, mode, bytes };
}

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty (0 bytes)' };
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { ok: false, reason: 'the file holds only whitespace' };
  if (/^(<<<<<<<|=======|>>>>>>>)/m.test(text)) return { ok: false, reason: 'the file holds git merge-conflict markers' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${describeCause(error)})` };
  }
}

export type LoadResult<T> =
  | { kind: 'missing' }
  | { kind: 'ok'; value: T; identity: FileIdentity; mode: number }
  | {
      kind: 'restorable';
      /** The backup's value: the state to continue from. */
      value: T;
      /** Identity of the bad primary (null when it was missing), for fencing. */
      identity: FileIdentity | null;
      mode: number | undefined;
      reason: string;
      backup: string;
    };

/**
 * The current committed state: the primary if it parses and validates, else the backup (the
 * caller restores it). Both bad: CORRUPT naming both files. Never a silent default.
 */
export async function loadDocument<T>(ctx: ReaderContext): Promise<LoadResult<T>> {
  const primary = await readFileContent<T>(ctx, ctx.target);
  if (primary.kind === 'ok') return { kind: 'ok', value: primary.value, identity: primary.identity, mode: primary.mode };
  const backup = backupPath(ctx.target);
  const second = await readFileContent<T>(ctx, backup);
  if (primary.kind === 'missing') {
    if (second.kind === 'missing') return { kind: 'missing' };
    if (second.kind === 'ok') {
      return { kind: 'restorable', value: second.value, identity: null, mode: second.mode, reason: 'the file is missing but its backup exists', backup };
    }
    throw new AtomicFileError(
      'CORRUPT',
      `${ctx.target} is missing and its backup ${backup} is unusable (${second.reason}). ` +
        `Restore the file from elsewhere, or delete ${backup} to start from scratch.`,
      { path: ctx.target, operation: 'read', issues: second.issues },
    );
  }
  if (second.kind === 'ok') {
    return { kind: 'restorable', value: second.value, identity: primary.identity, mode: primary.mode, reason: primary.reason, backup };
  }
  const backupState = second.kind === 'missing' ? 'does not exist' : `is unusable too (${second.reason})`;
  throw new AtomicFileError(
    'CORRUPT',
    `${ctx.target} is unusable (${primary.reason}) and its backup ${backup} ${backupState}. ` +
      'Nothing was written. Fix or replace the file by hand (`rail doctor` shows what is wrong), then retry.',
    { path: ctx.target, operation: 'read', issues: primary.issues },
  );
}
