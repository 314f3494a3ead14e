export { openJsonFile, type JsonFile, type JsonFileOptions } from './json-file.js';
export { AtomicFileError, type AtomicFileErrorCode, type AtomicFileIssue } from './errors.js';
export { readLockOwner } from './lock.js';
export { isOwnerAlive, isPidAlive } from './host.js';
export { listTempFiles, describeTempFiles, backupPath, type TempFileInfo } from './paths.js';
export { defaultRetryPolicy, retryDelays, type RetryPolicy } from './retry-policy.js';
export { nodeFileSystem, type FileSystemLayer, type FileStat, type ProtocolStep, type DirWatcher } from './fs-layer.js';
export type { Validator } from './read-document.js';
export type {
  SharedDocument,
  Snapshot,
  Commit,
  Updater,
  UpdateOptions,
  WatchListener,
  WatchOptions,
  StoreEvent,
  LockOwner,
  Quantiles,
  StoreStats,
} from './shared-document.js';
