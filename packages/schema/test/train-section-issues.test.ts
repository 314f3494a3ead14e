import { describe, expect, it } from 'vitest';
import { FLEXITY2_SPECS, trainSectionIssues, type Train } from '../src/index.js';

function train(): Train {
  return {
    line: 'Green',
    specs: { ...FLEXITY2_SPECS },
    model: {
      speedMps: 5,
      accelerationMps2: 0,
      block: 63,
      positionInBlockM: 10,
      distanceM: 10,
      temperatureC: 21,
      leftDoorsOpen: false,
      rightDoorsOpen: false,
      failures: { engine: false, brake: false, signal: false },
    },
    // Broken on purpose: a section other than the one checked must not be reported.
    controller: { powerCommandW: -1, serviceBrake: false, emergencyBrake: false, kp: 24_000, ki: 500, mode: 'auto' },
  };
}

describe('trainSectionIssues', () => {
  it('checks only the named section of one train', () => {
    expect(trainSectionIssues('T1', train(), 'model')).toEqual([]);
    const issues = trainSectionIssues('T1', train(), 'controller');
    expect(issues.map((i) => i.path)).toEqual(['/trains/T1/controller/powerCommandW']);
  });

  it('reports a broken model section by its path in the document', () => {
    const t = train();
    t.model!.speedMps = -3;
    expect(trainSectionIssues('T7', t, 'model').map((i) => i.path)).toEqual(['/trains/T7/model/speedMps']);
  });
});
