export {
  openRedisDocument,
  RedisDocument,
  type RedisDocumentOptions,
  type RedisSnapshot,
  type RedisStoreEvent,
  type DocumentValidator,
} from './redis-document.js';
export { openStore, type StoreOptions } from './open-store.js';
export { parseStoreUrl, describeStoreUrl, type StoreLocation, type FileLocation, type RedisLocation } from './store-url.js';
export { redisHealth, type RedisHealth, type RedisHealthOptions } from './redis-health.js';
export {
  RedisStoreError,
  type RedisStoreErrorCode,
  type RedisStoreErrorOptions,
  type RedisStoreIssue,
  type UpdateOutcome,
} from './errors.js';
export { retryDelayMs, defaultConflictPolicy, defaultReconnectPolicy, type RetryPolicy } from './retry-policy.js';
export type {
  SharedDocument,
  Snapshot,
  Commit,
  Updater,
  UpdateOptions,
  WatchListener,
  WatchOptions,
  StoreEvent,
  StoreStats,
  Quantiles,
} from '@rail/atomic-file';
