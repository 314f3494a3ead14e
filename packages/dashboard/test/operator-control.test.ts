import { describe, expect, it } from 'vitest';
import { emptyTrainData, FLEXITY2_SPECS, type TrainData } from '@rail/schema';
import { applyOperatorPatch, parseOperatorPatch } from '../src/operator-control.js';
import { DashboardError } from '../src/errors.js';

function doc(): TrainData {
  const d = emptyTrainData(new Date('2025-01-01T00:00:00Z'));
  d.trains.T1 = { line: 'Green', specs: { ...FLEXITY2_SPECS } };
  d.trains.T2 = { line: 'Green', specs: { ...FLEXITY2_SPECS }, operator: { failures: { engine: false, brake: true, signal: false }, kp: 100 } };
  return d;
}

describe('operator controls', () => {
  it('setting one failure flag on a train without an operator section requests only that failure', () => {
    const d = doc();
    applyOperatorPatch(d, 'T1', { failures: { engine: true } });
    expect(d.trains.T1!.operator).toEqual({ failures: { engine: true, brake: false, signal: false } });
  });

  it('a failure flag keeps the other flags and fields the operator already set', () => {
    const d = doc();
    applyOperatorPatch(d, 'T2', { failures: { signal: true } });
    expect(d.trains.T2!.operator).toEqual({ failures: { engine: false, brake: true, signal: true }, kp: 100 });
  });

  it('an invalid gain is refused with the validator path and message and leaves the draft untouched', () => {
    const d = doc();
    const before = structuredClone(d);
    let caught: unknown;
    try {
      applyOperatorPatch(d, 'T2', { kp: -5 });
    } catch (error) {
      caught = error;
    }
    expect(DashboardError.isInstance(caught)).toBe(true);
    const e = caught as DashboardError;
    expect(e.code).toBe('INVALID_CONTROL');
    expect(e.issues).toEqual([{ path: '/trains/T2/operator/kp', message: 'must be >= 0, found -5' }]);
    expect(d).toEqual(before);
  });

  it('an unknown field is refused by the schema', () => {
    const d = doc();
    expect(() => applyOperatorPatch(d, 'T1', { turbo: true })).toThrow(/\/trains\/T1\/operator/);
  });

  it('an unknown train is refused with UNKNOWN_TRAIN naming the trains there are', () => {
    expect(() => applyOperatorPatch(doc(), 'T9', { kp: 1 })).toThrow(/no such train \(it has T1, T2\)/);
  });

  it('a body that is not an object or is empty is a bad request', () => {
    expect(() => parseOperatorPatch([1], 'T1')).toThrow(DashboardError);
    expect(() => parseOperatorPatch({}, 'T1')).toThrow(/names no field/);
  });
});
