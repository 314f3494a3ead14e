import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisStoreError } from './errors.js';

/** Where a shared document lives, as named by a store URL. */
export type StoreLocation = FileLocation | RedisLocation;

export interface FileLocation {
  kind: 'file';
  /** Absolute path of the JSON file. */
  path: string;
}

export interface RedisLocation {
  kind: 'redis';
  /** The connection URL without the key (`redis://[user:pass@]host:port/db`), for ioredis. */
  connectionUrl: string;
  host: string;
  port: number;
  db: number;
  key: string;
  tls: boolean;
  /** The URL with any password replaced by `***`: safe for logs and error messages. */
  display: string;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;
const DEFAULT_REDIS_PORT = 6379;

/**
 * Parses a store URL:
 * - `file:./train_data.json`, `file:///abs/train_data.json` or a bare path → a file;
 * - `redis://host:port/key` (db 0) or `redis://host:port/<db>/key`; `rediss://` for TLS.
 *   A key containing `/` must be percent-encoded (`%2F`). A one-segment path is always a key,
 *   even when it is all digits.
 * Relative paths are resolved against `cwd` (default `process.cwd()`).
 */
export function parseStoreUrl(url: string, cwd: string = process.cwd()): StoreLocation {
  if (typeof url !== 'string' || url.trim() === '') {
    throw badUrl(url, 'it is empty');
  }
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  // A one-letter "scheme" is a Windows drive (C:\x.json), so the pattern asks for two or more.
  if (scheme === undefined) return { kind: 'file', path: absolute(url, cwd) };
  if (scheme === 'file') return { kind: 'file', path: parseFileUrl(url, cwd) };
  if (scheme === 'redis' || scheme === 'rediss') return parseRedisUrl(url);
  throw badUrl(url, `the scheme '${scheme}:' is not supported`);
}

/** A one-line human description of a store URL for messages, with any password hidden. */
export function describeStoreUrl(url: string): string {
  const location = parseStoreUrl(url);
  if (location.kind === 'file') return `file ${location.path}`;
  return `Redis key '${location.key}' (db ${location.db}) on ${location.host}:${location.port}${location.tls ? ' over TLS' : ''}`;
}

function parseFileUrl(url: string, cwd: string): string {
  const rest = url.slice('file:'.length);
  if (rest.startsWith('//')) {
    try {
      return fileURLToPath(url);
    } catch (error) {
      throw badUrl(url, `it is not a valid file URL (${(error as Error).message})`, error);
    }
  }
  if (rest === '') throw badUrl(url, 'it names no file');
  return absolute(decodeURIComponent(rest), cwd);
}

function absolute(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function parseRedisUrl(url: string): RedisLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw badUrl(url, 'it is not a valid URL', error);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw badUrl(url, 'query strings and fragments are not supported');
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw badUrl(url, 'it names no host');
  const port = parsed.port === '' ? DEFAULT_REDIS_PORT : Number(parsed.port);
  if (parsed.pathname === '' || parsed.pathname === '/') {
    throw badUrl(url, 'it names no key: add the key after the port, e.g. redis://127.0.0.1:6379/train_data');
  }
  const segments = parsed.pathname.split('/').slice(1);
  let db = 0;
  let rawKey: string | undefined;
  if (segments.length === 1) {
    rawKey = segments[0];
  } else if (segments.length === 2 && /^\d+$/.test(segments[0] ?? '')) {
    db = Number(segments[0]);
    rawKey = segments[1];
  } else {
    throw badUrl(url, 'the path must be /<key> or /<db>/<key> (percent-encode a / inside the key as %2F)');
  }
  if (rawKey === undefined || rawKey === '') {
    throw badUrl(url, 'it names no key: add the key after the port, e.g. redis://127.0.0.1:6379/train_data');
  }
  const key = decodeURIComponent(rawKey);
  const tls = parsed.protocol === 'rediss:';
  const auth =
    parsed.username !== '' || parsed.password !== ''
      ? `${parsed.username}${parsed.password !== '' ? `:${parsed.password}` : ''}@`
      : '';
  const hostPart = parsed.host;
  const connectionUrl = `${parsed.protocol}//${auth}${hostPart}/${db}`;
  const displayAuth = parsed.password !== '' ? `${parsed.username}:***@` : parsed.username !== '' ? `${parsed.username}@` : '';
  const display = `${parsed.protocol}//${displayAuth}${hostPart}/${db === 0 && segments.length === 1 ? '' : `${db}/`}${rawKey}`;
  return { kind: 'redis', connectionUrl, host, port, db, key, tls, display };
}

function badUrl(url: unknown, why: string, cause?: unknown): RedisStoreError {
  return new RedisStoreError(
    'BAD_URL',
    `Cannot open store '${redactPassword(String(url))}': ${why}. Use file:./train_data.json, a plain path, redis://host:port/key or redis://host:port/db/key.`,
    { location: typeof url === 'string' ? redactPassword(url) : undefined, operation: 'parse-url', cause },
  );
}

function redactPassword(url: string): string {
  return url.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}
