import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { isOwnerAlive, readLockOwner } from '@rail/atomic-file';
import { formatAge } from './evidence-format.js';
import type { DoctorCheck, ResolvedDoctorOptions } from './types.js';

/** Who holds the cross-process lock (`<file>.lock`), for how long, and whether that process is alive. */
export async function checkLock(path: string, options: ResolvedDoctorOptions): Promise<DoctorCheck> {
  const lockDir = `${path}.lock`;
  let owner = await readOwner(path);
  if (typeof owner === 'string') return { name: 'lock', status: 'warn', evidence: owner, hint: `If no writer is running, remove ${lockDir}.` };
  if (owner === null && existsSync(lockDir)) {
    // A writer between mkdir and writing its owner file looks like this for a moment: look again.
    await sleep(200);
    owner = await readOwner(path);
    if (typeof owner === 'string') return { name: 'lock', status: 'warn', evidence: owner, hint: `If no writer is running, remove ${lockDir}.` };
    if (owner === null && existsSync(lockDir)) {
      return {
        name: 'lock',
        status: 'warn',
        evidence: `${lockDir} exists but names no owner (looked twice, 200 ms apart): a writer died after taking the lock and before recording itself.`,
        hint: `@rail/atomic-file takes such a lock over after its stale timeout; if no writer is running, remove ${lockDir}.`,
      };
    }
  }
  if (owner === null) return { name: 'lock', status: 'pass', evidence: 'not held.' };
  const who = `pid ${owner.pid}${owner.label ? ` (${owner.label})` : ''} on ${owner.host}`;
  const heldMs = options.now() - owner.acquiredAt;
  const held = `held by ${who} since ${formatAge(heldMs)} ago`;
  const alive = isOwnerAlive(owner);
  if (alive === false) {
    return {
      name: 'lock',
      status: 'fail',
      evidence: `stale lock: ${held}, and that process is not running.`,
      hint: `The next writer takes it over (a stale-lock event in its log); if no writer is running, remove ${lockDir}. Find out why pid ${owner.pid} died.`,
    };
  }
  if (alive === 'unknown') {
    return {
      name: 'lock',
      status: 'warn',
      evidence: `${held}; that host is not this one, so whether the process lives cannot be checked from here.`,
      hint: `Check pid ${owner.pid} on ${owner.host}.`,
    };
  }
  if (heldMs > options.lockHeldWarnMs) {
    return {
      name: 'lock',
      status: 'warn',
      evidence: `${held} (longer than ${formatAge(options.lockHeldWarnMs)}); the process is alive.`,
      hint: `A writer may be stuck inside its update: look at pid ${owner.pid}.`,
    };
  }
  return { name: 'lock', status: 'pass', evidence: `${held}; the process is alive (a commit in progress).` };
}

async function readOwner(path: string): Promise<Awaited<ReturnType<typeof readLockOwner>> | string> {
  try {
    return await readLockOwner(path);
  } catch (error) {
    return `could not read the lock owner of ${path}: ${(error as Error).message}`;
  }
}
