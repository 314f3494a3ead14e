import { describe, expect, it } from 'vitest';
import { changedPaths } from '../src/index.js';

describe('changedPaths', () => {
  it('lists changed, added and removed leaves by JSON Pointer, sorted', () => {
    const before = { revision: 1, trains: { T1: { model: { speedMps: 3, block: 63 }, controller: { kp: null } } } };
    const after = { revision: 2, trains: { T1: { model: { speedMps: 4, block: 63, passengers: 5 }, controller: {} } } };
    expect(changedPaths(before, after)).toEqual([
      '/revision',
      '/trains/T1/controller',
      '/trains/T1/controller/kp',
      '/trains/T1/model/passengers',
      '/trains/T1/model/speedMps',
    ]);
  });

  it('is empty for equal documents and escapes "/" and "~" in keys', () => {
    expect(changedPaths({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([]);
    expect(changedPaths({ 'x/y': 1, 'm~n': 1 }, { 'x/y': 2, 'm~n': 2 })).toEqual(['/m~0n', '/x~1y']);
  });
});
