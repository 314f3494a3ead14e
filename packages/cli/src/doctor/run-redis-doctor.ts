import { setTimeout as sleep } from 'node:timers/promises';
import { openStore, redisHealth, RedisStoreError, type RedisHealth, type RedisLocation } from '@rail/redis-store';
import { isTrainData, type TrainData } from '@rail/schema';
import { checkTrains } from './check-trains.js';
import { formatAge } from './evidence-format.js';
import type { DoctorCheck, ResolvedDoctorOptions } from './types.js';

/** Connect/command timeout of each look at the server, ms. */
const HEALTH_TIMEOUT_MS = 3_000;

/**
 * The doctor's checks for a `redis://host:port/key` store: the server (reachable), its persistence
 * (does an acknowledged update survive a crash), the document (present, valid), activity (the
 * revision moving), the last writer, and the same train checks as for a file. Only reads.
 */
export async function redisDoctorChecks(url: string, location: RedisLocation, options: ResolvedDoctorOptions): Promise<DoctorCheck[]> {
  const first = await redisHealth(url, { validate: isTrainData, timeoutMs: HEALTH_TIMEOUT_MS });
  if (!first.reachable) {
    return [
      {
        name: 'redis-server',
        status: 'fail',
        evidence: `cannot reach ${location.host}:${location.port}: ${first.error ?? 'no answer'}`,
        hint: 'Start redis-server there (for the sample app: --appendonly yes --appendfsync always), or fix the host, port or password in the URL.',
      },
    ];
  }
  const server: DoctorCheck = {
    name: 'redis-server',
    status: 'pass',
    evidence: `reachable at ${location.host}:${location.port}, Redis ${first.serverVersion ?? 'version unknown'}, PING ${first.pingMs === null ? '?' : first.pingMs.toFixed(2)} ms.`,
  };
  const { document, check: documentCheck } = await checkRedisDocument(url, first);
  const activity = await checkRedisActivity(url, first, options);
  return [server, checkPersistence(first), documentCheck, activity, checkLastWriter(first, options), ...checkTrains({ document, legacyView: null, legacyImportError: null, legacyWarnings: [] })];
}

function checkPersistence(health: RedisHealth): DoctorCheck {
  const p = health.persistence;
  if (p === null) {
    return { name: 'persistence', status: 'warn', evidence: 'not examined: the server answered PING but not INFO/CONFIG.', hint: 'Check the ACL of this user (INFO and CONFIG GET).' };
  }
  const settings = `appendonly ${p.aof ? 'yes' : 'no'}, appendfsync ${p.appendfsync ?? 'unknown (CONFIG disabled)'}, RDB save '${p.rdbSave ?? 'unknown'}'`;
  if (p.aof && p.aofLastWriteOk === false) {
    return {
      name: 'persistence',
      status: 'fail',
      evidence: `${settings}; the last AOF write failed (INFO aof_last_write_status is not ok): Redis refuses writes or loses them.`,
      hint: 'Look at the Redis log and its disk (full, read-only, permissions) in the directory of the AOF.',
    };
  }
  if (p.everyAckDurable) {
    return { name: 'persistence', status: 'pass', evidence: `${settings}: every acknowledged update is in the fsynced AOF, so it survives a crash of Redis or of the machine.` };
  }
  if (p.aof && p.appendfsync === 'everysec') {
    return {
      name: 'persistence',
      status: 'warn',
      evidence: `${settings}: an acknowledged update survives a crash of the Redis process, but a power loss or kernel crash can lose up to about 1 s of them.`,
      hint: 'For no lost acknowledged update: CONFIG SET appendfsync always (and set it in redis.conf).',
    };
  }
  if (p.appendfsync === null) {
    return {
      name: 'persistence',
      status: 'warn',
      evidence: `${settings}: CONFIG is disabled on this server, so whether acknowledged updates are fsynced cannot be told.`,
      hint: 'Ask the provider whether AOF with appendfsync always is on.',
    };
  }
  return {
    name: 'persistence',
    status: 'warn',
    evidence: `${settings}: ${p.aof ? 'the AOF is not fsynced on each write' : 'no append-only file'}, so a restart of Redis goes back to ${p.rdbSave === '' || p.rdbSave === null ? 'an empty key' : 'the last RDB snapshot'}, losing acknowledged updates.`,
    hint: 'CONFIG SET appendonly yes and CONFIG SET appendfsync always (and set both in redis.conf).',
  };
}

async function checkRedisDocument(url: string, health: RedisHealth): Promise<{ document: TrainData | null; check: DoctorCheck }> {
  const where = `key '${health.key}'`;
  if (health.error !== null) {
    return { document: null, check: { name: 'document', status: 'fail', evidence: `could not examine ${where}: ${health.error}`, hint: 'Check the server (see redis-server) and the ACL of this user.' } };
  }
  if (!health.exists) {
    return {
      document: null,
      check: {
        name: 'document',
        status: 'fail',
        evidence: `${health.url} holds no document: ${where} does not exist.`,
        hint: 'Check the key (and db) in the URL; a run creates the key when its first module opens it.',
      },
    };
  }
  if (health.documentValid !== true) {
    const issues = health.issues
      .slice(0, 3)
      .map((i) => `${i.path || '/'}: ${i.message}`)
      .join('; ');
    return {
      document: null,
      check: {
        name: 'document',
        status: 'fail',
        evidence: `${where} at revision ${health.revision ?? '?'} is not a valid train_data document: ${issues || 'the field doc is missing'}${health.issues.length > 3 ? '; …' : ''}.`,
        hint: `A writer stored a document the schema rejects, or the key was written outside the store: look at it with \`redis-cli HGET ${health.key} doc\` and fix that writer.`,
      },
    };
  }
  // The health report says the document is valid; the train checks need its content as well.
  const store = openStore<TrainData>(url, { validate: isTrainData, redis: { timeoutMs: HEALTH_TIMEOUT_MS, label: 'rail doctor' } });
  let doc: TrainData;
  try {
    doc = (await store.read()).value;
  } catch (error) {
    if (!RedisStoreError.isInstance(error)) throw error;
    return { document: null, check: { name: 'document', status: 'fail', evidence: `${where} was valid a moment ago, but reading it failed: ${error.message}`, hint: 'Run the doctor again; if it repeats, see the error code.' } };
  } finally {
    await store.close();
  }
  const trains = Object.keys(doc.trains).length;
  return {
    document: doc,
    check: {
      name: 'document',
      status: 'pass',
      evidence: `valid train_data in ${where}, schema version ${doc.schemaVersion}, revision ${doc.revision}, ${trains} train${trains === 1 ? '' : 's'}; ${health.historyLength ?? 0} revision(s) kept in ${health.key}:log for watchers' catch-up.`,
    },
  };
}

async function checkRedisActivity(url: string, first: RedisHealth, options: ResolvedDoctorOptions): Promise<DoctorCheck> {
  const period = formatAge(options.expectedPeriodMs);
  if (first.revision === null) {
    return { name: 'activity', status: 'warn', evidence: 'no revision stored, so no change can be followed.', hint: 'See the document check.' };
  }
  if (options.watchMs <= 0) {
    const lastCommit = lastCommitAge(first, options);
    const fresh = lastCommit !== null && lastCommit.ageMs <= 3 * options.expectedPeriodMs;
    return {
      name: 'activity',
      status: fresh ? 'pass' : 'warn',
      evidence: `${lastCommit === null ? 'the time of the last commit is not recorded' : `last commit ${lastCommit.ago}`}; not watched (watch time 0), judged by the last commit against the expected period of ${period}.`,
      ...(fresh ? {} : { hint: 'If modules should be running, they are stopped or cannot reach Redis: see their logs.' }),
    };
  }
  const startedMs = options.now();
  await sleep(options.watchMs);
  const second = await redisHealth(url, { timeoutMs: HEALTH_TIMEOUT_MS });
  const watchedMs = options.now() - startedMs;
  if (!second.reachable || second.revision === null) {
    return {
      name: 'activity',
      status: 'fail',
      evidence: `the second look after ${formatAge(watchedMs)} found ${second.reachable ? 'no revision' : `the server unreachable (${second.error ?? 'no answer'})`}.`,
      hint: second.reachable ? 'Something deleted the key: find which process does.' : 'The server went away while being watched: see its log.',
    };
  }
  const commits = second.revision - first.revision;
  if (commits < 0) {
    return {
      name: 'activity',
      status: 'fail',
      evidence: `the revision went backwards while watching: ${first.revision} → ${second.revision}.`,
      hint: 'The key was replaced by an older copy (a restore, a restart of Redis from an old snapshot, a writer not using the store): find it.',
    };
  }
  const watched = formatAge(watchedMs);
  const rate = `revision ${first.revision} → ${second.revision} in ${watched} (${(commits / (watchedMs / 1000)).toFixed(1)} commits/s; expected at least one every ${period})`;
  if (commits === 0) {
    const lastCommit = lastCommitAge(second, options);
    return {
      name: 'activity',
      status: 'warn',
      evidence: `not changing: no commit in ${watched} of watching; ${lastCommit === null ? 'the time of the last commit is not recorded' : `last commit ${lastCommit.ago}`}.`,
      hint: 'If modules should be running, they are stopped or cannot reach Redis: see their logs.',
    };
  }
  if (commits < watchedMs / options.expectedPeriodMs / 2) {
    return { name: 'activity', status: 'warn', evidence: `changing slower than expected: ${rate}.`, hint: 'A module is slow or stopped, or writers conflict a lot: compare retries in the modules’ stats.' };
  }
  return { name: 'activity', status: 'pass', evidence: `changing: ${rate}.` };
}

function checkLastWriter(health: RedisHealth, options: ResolvedDoctorOptions): DoctorCheck {
  const w = health.lastWriter;
  if (w === null || (w.label === null && w.committedAt === null)) {
    return {
      name: 'last-writer',
      status: 'warn',
      evidence: health.exists ? 'the key records no writer label or commit time: it was not written through @rail/redis-store.' : 'no document, so no writer.',
      hint: 'Write the key only through @rail/redis-store (openStore), which records who committed and when.',
    };
  }
  const age = lastCommitAge(health, options);
  const inDoc = describeDocumentWriter(w.inDocument);
  return {
    name: 'last-writer',
    status: 'pass',
    evidence: `last commit by ${w.label ?? 'an unlabelled handle'}${age === null ? ' (time not recorded)' : ` ${age.ago}`}; the document names ${inDoc}.`,
  };
}

function lastCommitAge(health: RedisHealth, options: ResolvedDoctorOptions): { ageMs: number; ago: string } | null {
  const at = health.lastWriter?.committedAt;
  if (at === null || at === undefined) return null;
  const atMs = Date.parse(at);
  if (!Number.isFinite(atMs)) return null;
  const ageMs = options.now() - atMs;
  return { ageMs, ago: `${formatAge(ageMs)} ago (${at})` };
}

function describeDocumentWriter(value: unknown): string {
  if (typeof value !== 'object' || value === null) return 'no lastWriter';
  const w = value as { module?: unknown; pid?: unknown; host?: unknown };
  return `lastWriter ${String(w.module ?? '?')} (pid ${String(w.pid ?? '?')} on ${String(w.host ?? '?')})`;
}
