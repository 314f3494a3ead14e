import { describe, expect, it } from 'vitest';
import { BenchError } from '../src/errors.js';
import { parseOptions } from '../src/options.js';

describe('command line', () => {
  it('--quick runs 4 processes of ours, proper-lockfile+wfa, both SQLite rows and Redis (appendfsync always), no slow sections', () => {
    const o = parseOptions(['--quick']);
    expect(o.processes).toEqual([4]);
    expect(o.contenders).toEqual(['atomic-file', 'proper-lockfile+wfa', 'sqlite-counter', 'sqlite-json', 'redis-store']);
    expect(o.scaleTrains).toEqual([]);
    expect(o.staleTrials).toEqual({ atomicFile: 0, properLockfileTuned: 0, properLockfileDefaults: 0 });
    expect(o.warmup).toBe(5);
  });

  it('--warmup sets the untimed updates per writer (20 by default, 0 for none)', () => {
    expect(parseOptions([]).warmup).toBe(20);
    expect(parseOptions(['--warmup', '0']).warmup).toBe(0);
    expect(parseOptions(['--warmup', '50', '--quick']).warmup).toBe(50);
  });

  it('the full run covers 1, 2, 4 and 8 writers and 1 to 1000 trains', () => {
    const o = parseOptions([]);
    expect(o.processes).toEqual([1, 2, 4, 8]);
    expect(o.scaleTrains).toEqual([1, 10, 100, 1000]);
    expect(o.contenders).toHaveLength(11);
    expect(o.contenders).toEqual(expect.arrayContaining(['redis-store', 'redis-store-everysec']));
  });

  it('--only accepts the Redis rows by id (run in the canonical order)', () => {
    expect(parseOptions(['--only', 'redis-store-everysec,sqlite-json']).contenders).toEqual(['sqlite-json', 'redis-store-everysec']);
  });

  it('--k and --only narrow the run', () => {
    const o = parseOptions(['--k', '7', '--only', 'steno,plain-fs']);
    expect(o.k).toBe(7);
    expect(o.contenders).toEqual(['steno', 'plain-fs']);
    expect(o.scaleContenders).toEqual([]);
  });

  it.each([
    [['--k', '0'], /--k needs a positive integer/],
    [['--k'], /--k needs a value/],
    [['--warmup', '-1'], /--warmup needs a positive integer/],
    [['--only', 'lowdb'], /unknown contender "lowdb"/],
    [['--fast'], /unknown argument "--fast"/],
  ])('rejects %j with BAD_ARGUMENT', (argv, message) => {
    let caught: unknown;
    try {
      parseOptions(argv);
    } catch (error) {
      caught = error;
    }
    expect(BenchError.isInstance(caught) && caught.code).toBe('BAD_ARGUMENT');
    expect((caught as Error).message).toMatch(message);
  });
});
