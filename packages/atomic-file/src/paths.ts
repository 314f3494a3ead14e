import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { errnoCode } from './errors.js';
import { nodeFileSystem, type FileSystemLayer } from './fs-layer.js';
import { HOST_HASH, randomToken } from './host.js';

/** `${path}.backup`: the last good committed state. */
export function backupPath(path: string): string {
  return `${path}.backup`;
}

export function lockDirPath(target: string): string {
  return `${target}.lock`;
}

const MAX_LINKS = 40;

/**
 * The file the store really writes: the end of `path`'s symlink chain, in its real directory.
 * Followed once at open so a symlinked target stays a symlink and the file it points to is
 * replaced in its own directory (the rename must stay inside one directory to be atomic).
 * A dangling link resolves to where it points, so the first write creates the file there.
 */
export function resolveTarget(path: string, fs: FileSystemLayer = nodeFileSystem): string {
  let current = resolve(path);
  for (let hop = 0; hop < MAX_LINKS; hop += 1) {
    let isLink: boolean;
    try {
      isLink = fs.lstatSync(current).isSymbolicLink();
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
      isLink = false;
    }
    if (!isLink) {
      return join(realDirectory(dirname(current), fs), basename(current));
    }
    const link = fs.readlinkSync(current);
    current = isAbsolute(link) ? link : resolve(dirname(current), link);
  }
  throw Object.assign(new Error(`too many levels of symbolic links resolving ${path}`), { code: 'ELOOP' });
}

function realDirectory(dir: string, fs: FileSystemLayer): string {
  try {
    return fs.realpathSync(dir);
  } catch (error) {
    // A missing directory is reported by the first real I/O with its own clear error.
    if (errnoCode(error) === 'ENOENT') return dir;
    throw error;
  }
}

/** Temp files: `.<basename>.<pid>.<hosthash>.<random>.tmp`, next to the target. */
export function tempFilePath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${HOST_HASH}.${randomToken(6)}.tmp`);
}

/** Private lock staging directories: `<basename>.lock.<pid>.<hosthash>.<token>.tmpdir`. */
export function lockStagingPath(target: string, token: string): string {
  return `${lockDirPath(target)}.${process.pid}.${HOST_HASH}.${token}.tmpdir`;
}

export function quarantinePath(target: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return `${target}.corrupt-${stamp}-${randomToken(3)}`;
}

export interface LeftoverEntry {
  path: string;
  pid: number;
  hostHash: string;
  kind: 'temp' | 'lock-staging';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const patternCache = new Map<string, { tempRe: RegExp; stagingRe: RegExp }>();

/** The name patterns of a target's temp files and lock staging dirs (asked on every contended lock wait). */
function leftoverPatterns(name: string): { tempRe: RegExp; stagingRe: RegExp } {
  let patterns = patternCache.get(name);
  if (patterns === undefined) {
    const base = escapeRegExp(name);
    patterns = {
      tempRe: new RegExp(`^\\.${base}\\.(\\d+)\\.([0-9a-f]{8})\\.[0-9a-f]+\\.tmp$`),
      stagingRe: new RegExp(`^${base}\\.lock\\.(\\d+)\\.([0-9a-f]{8})\\.[0-9a-f]+\\.tmpdir$`),
    };
    patternCache.set(name, patterns);
  }
  return patterns;
}

/** Temp files and lock staging directories of `target` (whoever made them), parsed from their names. */
export function findLeftovers(target: string, fs: FileSystemLayer): LeftoverEntry[] {
  const dir = dirname(target);
  const { tempRe, stagingRe } = leftoverPatterns(basename(target));
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return [];
    throw error;
  }
  const found: LeftoverEntry[] = [];
  for (const name of names) {
    const temp = tempRe.exec(name);
    if (temp) {
      found.push({ path: join(dir, name), pid: Number(temp[1]), hostHash: temp[2] ?? '', kind: 'temp' });
      continue;
    }
    const staging = stagingRe.exec(name);
    if (staging) {
      found.push({ path: join(dir, name), pid: Number(staging[1]), hostHash: staging[2] ?? '', kind: 'lock-staging' });
    }
  }
  return found;
}

/** A leftover temp file or lock staging directory, with the writer its name records. */
export interface TempFileInfo {
  /** Absolute path. */
  path: string;
  kind: 'temp' | 'lock-staging';
  /** Pid of the writer that created it. */
  pid: number;
  /** Whether that writer ran on this host (only then can its pid be probed). */
  sameHost: boolean;
}

/** Leftover temp files and lock staging directories of `path`, with the writer each belongs to. */
export function describeTempFiles(path: string, fs: FileSystemLayer = nodeFileSystem): TempFileInfo[] {
  return findLeftovers(resolveTarget(path, fs), fs).map((e) => ({ path: e.path, kind: e.kind, pid: e.pid, sameHost: e.hostHash === HOST_HASH }));
}

/** Leftover temp files and lock staging directories of `path` (absolute paths). */
export function listTempFiles(path: string, fs: FileSystemLayer = nodeFileSystem): string[] {
  return findLeftovers(resolveTarget(path, fs), fs).map((entry) => entry.path);
}
