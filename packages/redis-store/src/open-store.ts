import { openJsonFile, type JsonFileOptions, type SharedDocument, type StoreEvent } from '@rail/atomic-file';
import { openRedisDocument, type DocumentValidator, type RedisDocumentOptions, type RedisStoreEvent } from './redis-document.js';
import { parseStoreUrl } from './store-url.js';

/** Options both stores understand, plus each store's own under `file` / `redis`. */
export interface StoreOptions<T> {
  validate?: DocumentValidator;
  create?: () => T;
  revisionKey?: string | false;
  updatedAtKey?: string | false;
  /** Receives both stores' events; Redis adds `connection` and `catch-up` events. */
  onEvent?: (event: RedisStoreEvent) => void;
  /** Resolves a relative file path; default `process.cwd()`. */
  cwd?: string;
  /** Extra options for the file store (`openJsonFile`). */
  file?: Omit<JsonFileOptions<T>, 'validate' | 'create' | 'revisionKey' | 'updatedAtKey' | 'onEvent'>;
  /** Extra options for the Redis store (`openRedisDocument`). */
  redis?: Omit<RedisDocumentOptions<T>, 'validate' | 'create' | 'revisionKey' | 'updatedAtKey' | 'onEvent'>;
}

/**
 * Opens the shared document a store URL names: `file:./train_data.json`, `file:///abs/x.json` or a
 * bare path → the file store; `redis://host:port/key` or `redis://host:port/db/key` → Redis.
 * Throws RedisStoreError BAD_URL for anything else.
 */
export function openStore<T>(url: string, options: StoreOptions<T> = {}): SharedDocument<T> {
  const location = parseStoreUrl(url, options.cwd);
  const common = {
    ...(options.validate ? { validate: options.validate } : {}),
    ...(options.create ? { create: options.create } : {}),
    ...(options.revisionKey !== undefined ? { revisionKey: options.revisionKey } : {}),
    ...(options.updatedAtKey !== undefined ? { updatedAtKey: options.updatedAtKey } : {}),
  };
  if (location.kind === 'file') {
    const onEvent = options.onEvent;
    return openJsonFile<T>(location.path, {
      ...options.file,
      ...common,
      ...(onEvent ? { onEvent: (event: StoreEvent) => onEvent(event) } : {}),
    });
  }
  return openRedisDocument<T>(url, {
    ...options.redis,
    ...common,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
}
