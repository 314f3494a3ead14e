import { parseStoreUrl, RedisStoreError, type StoreLocation } from '@rail/redis-store';
import { RailCliError } from './errors.js';

/**
 * Where a command's `<store>` argument points: a file (bare path or `file:` URL) or a Redis key
 * (`redis://host:port/key`). A malformed URL is the user's typo, so it becomes BAD_URL (exit 64)
 * with the store package's message listing the accepted forms.
 */
export function locateStore(command: string, target: string): StoreLocation {
  try {
    return parseStoreUrl(target);
  } catch (error) {
    if (RedisStoreError.isInstance(error) && error.code === 'BAD_URL') {
      throw new RailCliError('BAD_URL', `rail ${command}: ${error.message}`, { path: target, cause: error });
    }
    throw error;
  }
}
