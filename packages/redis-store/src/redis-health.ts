import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { RedisStoreError, type RedisStoreIssue } from './errors.js';
import type { DocumentValidator } from './redis-document.js';
import { parseStoreUrl } from './store-url.js';

export interface RedisHealthOptions {
  /** Also check the stored document with this validator (e.g. `@rail/schema`'s `isTrainData`). */
  validate?: DocumentValidator;
  /** Watch the revision for this long to tell whether writers are active, ms. Default 0: not sampled. */
  sampleMs?: number;
  /** Connect and command timeout, ms. Default 3000. */
  timeoutMs?: number;
}

/** What `rail doctor redis://…` reports. Never throws for an unreachable or broken server: it says so. */
export interface RedisHealth {
  /** The URL with any password hidden. */
  url: string;
  key: string;
  reachable: boolean;
  /** Why the server or the document could not be examined. */
  error: string | null;
  /** Round trip of one PING, ms. */
  pingMs: number | null;
  serverVersion: string | null;
  persistence: {
    aof: boolean;
    /** 'always' | 'everysec' | 'no', or null when CONFIG is disabled on the server. */
    appendfsync: string | null;
    /** The RDB `save` schedule ('' = snapshots off), or null when CONFIG is disabled. */
    rdbSave: string | null;
    aofLastWriteOk: boolean | null;
    rdbLastSaveOk: boolean | null;
    /** True when every acknowledged update survives a crash of the Redis process: AOF with appendfsync always. */
    everyAckDurable: boolean;
  } | null;
  exists: boolean;
  revision: number | null;
  /** Whether the revision changed during `sampleMs`; null when not sampled. */
  revisionMoving: boolean | null;
  lastWriter: {
    /** Label the last committing handle stored with its commit. */
    label: string | null;
    token: string | null;
    committedAt: string | null;
    /** The document's own `lastWriter` field, when it has one. */
    inDocument: unknown;
  } | null;
  /** null when there is no document or no validator was given. */
  documentValid: boolean | null;
  issues: RedisStoreIssue[];
  /** Revisions held in `<key>:log` for watchers' catch-up. */
  historyLength: number | null;
}

/** Examines the Redis side of a `redis://host:port/key` store. Throws only BAD_URL. */
export async function redisHealth(url: string, options: RedisHealthOptions = {}): Promise<RedisHealth> {
  const location = parseStoreUrl(url);
  if (location.kind !== 'redis') {
    throw new RedisStoreError('BAD_URL', `redisHealth needs a redis:// URL, got the file ${location.path}. Use the file store's checks for files.`, {
      location: location.path,
      operation: 'health',
    });
  }
  const timeoutMs = options.timeoutMs ?? 3_000;
  const health: RedisHealth = {
    url: location.display,
    key: location.key,
    reachable: false,
    error: null,
    pingMs: null,
    serverVersion: null,
    persistence: null,
    exists: false,
    revision: null,
    revisionMoving: null,
    lastWriter: null,
    documentValid: null,
    issues: [],
    historyLength: null,
  };
  const client = new Redis(location.connectionUrl, {
    ...(location.tls ? { tls: {} } : {}),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
  });
  // Errors surface through the awaited commands below; the event only needs a listener.
  client.on('error', (error: Error) => {
    health.error ??= error.message;
  });
  try {
    await client.connect();
    const pingStart = performance.now();
    await client.ping();
    health.pingMs = performance.now() - pingStart;
    health.reachable = true;
    health.error = null;
    const info = parseInfo(await client.info());
    health.serverVersion = info.get('redis_version') ?? null;
    const appendfsync = await configValue(client, 'appendfsync');
    const aof = info.get('aof_enabled') === '1';
    health.persistence = {
      aof,
      appendfsync,
      rdbSave: await configValue(client, 'save'),
      aofLastWriteOk: info.has('aof_last_write_status') ? info.get('aof_last_write_status') === 'ok' : null,
      rdbLastSaveOk: info.has('rdb_last_bgsave_status') ? info.get('rdb_last_bgsave_status') === 'ok' : null,
      everyAckDurable: aof && appendfsync === 'always',
    };
    const [json = null, rev = null, writer, label, at] = await client.hmget(location.key, 'doc', 'rev', 'writer', 'label', 'at');
    health.historyLength = await client.llen(`${location.key}:log`);
    if (json === null && rev === null) return health;
    health.exists = true;
    health.revision = rev === null ? null : Number(rev);
    let value: unknown;
    let parsed = false;
    if (json !== null) {
      try {
        value = JSON.parse(json);
        parsed = true;
      } catch (error) {
        health.documentValid = false;
        health.issues.push({ path: '', rule: 'json', message: `the stored document is not valid JSON: ${(error as Error).message}` });
      }
    }
    health.lastWriter = {
      label: label ?? null,
      token: writer ?? null,
      committedAt: at ?? null,
      inDocument: parsed && isRecord(value) ? value.lastWriter : undefined,
    };
    if (parsed && options.validate) {
      health.documentValid = options.validate(value);
      if (!health.documentValid) health.issues.push(...(options.validate.issues?.(value) ?? []));
    }
    if ((options.sampleMs ?? 0) > 0) {
      await new Promise((resolve) => setTimeout(resolve, options.sampleMs));
      const later = await client.hget(location.key, 'rev');
      health.revisionMoving = later !== rev;
    }
    return health;
  } catch (error) {
    health.error = `${health.reachable ? 'examining' : 'connecting to'} ${location.display} failed: ${(error as Error).message}`;
    return health;
  } finally {
    client.disconnect();
  }
}

async function configValue(client: Redis, name: string): Promise<string | null> {
  try {
    const reply = (await client.config('GET', name)) as string[];
    return reply[1] ?? null;
  } catch (error) {
    // Managed Redis services often disable CONFIG; the report then says "unknown" (null) for it.
    if (error instanceof Error && /unknown command|NOPERM|disabled/i.test(error.message)) return null;
    throw error;
  }
}

function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
