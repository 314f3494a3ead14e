import * as fs from 'node:fs';

/** The part of a file's status the store relies on (node's `fs.Stats` satisfies it). */
export interface FileStat {
  ino: number;
  size: number;
  mtimeMs: number;
  /** Inode change time; optional for custom layers (a handed-over lock's acquisition time). */
  ctimeMs?: number;
  mode: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** Named points of the write and lock protocol; `FileSystemLayer.step` is called at each. */
export type ProtocolStep =
  | 'lock-acquired'
  | 'temp-created'
  | 'temp-written'
  | 'temp-synced'
  | 'backup-saved'
  | 'before-publish'
  | 'published'
  | 'lock-released'
  | 'dir-synced';

export interface DirWatcher {
  close(): void;
}

/**
 * Every file-system call the store makes goes through this object, so tests can replace single
 * functions to inject EPERM/EBUSY on rename, ENOSPC or short writes, EXDEV, or a crash between
 * two protocol steps. All calls are synchronous on purpose: the critical section is about a
 * millisecond of syscalls, and an async call per syscall would cost a thread-pool round trip each.
 */
export interface FileSystemLayer {
  openSync(path: string, flags: number | string, mode?: number): number;
  closeSync(fd: number): void;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number | null): number;
  readFileSync(pathOrFd: string | number): Buffer;
  fsyncSync(fd: number): void;
  fstatSync(fd: number): FileStat;
  fchmodSync(fd: number, mode: number): void;
  renameSync(from: string, to: string): void;
  linkSync(existingPath: string, newPath: string): void;
  unlinkSync(path: string): void;
  mkdirSync(path: string): void;
  rmdirSync(path: string): void;
  readdirSync(path: string): string[];
  statSync(path: string): FileStat;
  lstatSync(path: string): FileStat;
  readlinkSync(path: string): string;
  realpathSync(path: string): string;
  utimesSync(path: string, atime: Date | number, mtime: Date | number): void;
  /** Watches a directory for entries being created, renamed or removed. */
  watchDir(path: string, onChange: (filename: string | null) => void, onError: (error: Error) => void): DirWatcher;
  /** Called between the protocol's steps; a test may throw here or kill the process. */
  step?(name: ProtocolStep, path: string): void;
}

/** The real file system (node:fs). */
export const nodeFileSystem: FileSystemLayer = {
  openSync: (path, flags, mode) => fs.openSync(path, flags, mode),
  closeSync: (fd) => fs.closeSync(fd),
  writeSync: (fd, buffer, offset, length, position) => fs.writeSync(fd, buffer, offset, length, position),
  readFileSync: (pathOrFd) => fs.readFileSync(pathOrFd),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  fstatSync: (fd) => fs.fstatSync(fd),
  fchmodSync: (fd, mode) => fs.fchmodSync(fd, mode),
  renameSync: (from, to) => fs.renameSync(from, to),
  linkSync: (existingPath, newPath) => fs.linkSync(existingPath, newPath),
  unlinkSync: (path) => fs.unlinkSync(path),
  mkdirSync: (path) => {
    fs.mkdirSync(path);
  },
  rmdirSync: (path) => fs.rmdirSync(path),
  readdirSync: (path) => fs.readdirSync(path),
  statSync: (path) => fs.statSync(path),
  lstatSync: (path) => fs.lstatSync(path),
  readlinkSync: (path) => fs.readlinkSync(path),
  realpathSync: (path) => fs.realpathSync(path),
  utimesSync: (path, atime, mtime) => fs.utimesSync(path, atime, mtime),
  watchDir: (path, onChange, onError) => {
    const watcher = fs.watch(path, { persistent: false }, (_event, filename) => onChange(filename === null ? null : String(filename)));
    watcher.on('error', onError);
    return watcher;
  },
};
