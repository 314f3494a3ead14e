import { createHash, randomFillSync } from 'node:crypto';
import { hostname } from 'node:os';
import { errnoCode } from './errors.js';
import type { LockOwner } from './shared-document.js';

/** This machine's name as written into lock owner records. */
export const HOST = hostname();

/** 8 hex characters naming this host inside temp-file names (which must stay short and portable). */
export const HOST_HASH = hostHash(HOST);

export function hostHash(host: string): string {
  return createHash('sha256').update(host).digest('hex').slice(0, 8);
}

const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

/** Random hex token; unique across processes, threads and hosts sharing a folder. */
export function randomToken(bytes = 8): string {
  // Drawn from a pooled buffer: a crypto call per token was ~5 % of a whole commit's CPU time.
  if (poolOffset + bytes > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const token = pool.toString('hex', poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return token;
}
/** Whether a process with this pid exists on this host (EPERM: it exists but belongs to someone else). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ESRCH') return false;
    if (errnoCode(error) === 'EPERM') return true;
    throw error;
  }
}

/** Same host: probe the pid. Another host: there is no way to know from here, so 'unknown'. */
export function isOwnerAlive(owner: LockOwner): boolean | 'unknown' {
  if (owner.host !== HOST) return 'unknown';
  return isPidAlive(owner.pid);
}
