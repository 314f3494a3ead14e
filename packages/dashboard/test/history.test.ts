import { describe, expect, it } from 'vitest';
import { DecimatingSeries, type SeriesPoint } from '../src/history.js';

const at = (tS: number, speedMps: number | null = tS): SeriesPoint => ({
  tS,
  speedMps,
  commandedSpeedMps: null,
  speedLimitMps: null,
  powerCommandW: null,
  authorityM: null,
});

describe('DecimatingSeries', () => {
  it('keeps every point up to its capacity', () => {
    const s = new DecimatingSeries(8);
    for (let t = 0; t < 8; t++) s.push(at(t));
    expect(s.toColumns().tS).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('past capacity drops every second point of the older half only', () => {
    const s = new DecimatingSeries(8);
    for (let t = 0; t <= 8; t++) s.push(at(t));
    // 9 points > 8: older half is indices 0..3 -> keep 0 and 2; the newer 4..8 stay.
    expect(s.toColumns().tS).toEqual([0, 2, 4, 5, 6, 7, 8]);
    expect(s.toColumns().speedMps).toEqual([0, 2, 4, 5, 6, 7, 8]);
  });

  it('covers the whole run: a long run keeps its first and last point within the bound', () => {
    const s = new DecimatingSeries(100);
    for (let t = 0; t < 10_000; t++) s.push(at(t));
    const { tS } = s.toColumns();
    expect(tS.length).toBeLessThanOrEqual(100);
    expect(tS[0]).toBe(0);
    expect(tS[tS.length - 1]).toBe(9999);
    for (let i = 1; i < tS.length; i++) expect(tS[i]!).toBeGreaterThan(tS[i - 1]!);
    // The newest stretch keeps full resolution: its last ten points are consecutive steps.
    expect(tS.slice(-10)).toEqual([9990, 9991, 9992, 9993, 9994, 9995, 9996, 9997, 9998, 9999]);
    // The oldest stretch is sparser than the newest.
    expect(tS[1]! - tS[0]!).toBeGreaterThan(1);
  });

  it('a point at the same simulated time replaces the last one (several modules commit per step)', () => {
    const s = new DecimatingSeries(8);
    s.push(at(0, 1));
    s.push(at(0.5, 2));
    s.push(at(0.5, 3));
    expect(s.toColumns()).toMatchObject({ tS: [0, 0.5], speedMps: [1, 3] });
  });

  it('starts over when simulated time goes backwards (the simulation restarted)', () => {
    const s = new DecimatingSeries(8);
    s.push(at(5));
    s.push(at(6));
    s.push(at(0));
    expect(s.toColumns().tS).toEqual([0]);
    expect(s.restarts).toBe(1);
  });

  it('refuses a capacity too small to decimate', () => {
    expect(() => new DecimatingSeries(2)).toThrow(/capacity must be an integer >= 4/);
  });
});
