import { describe, expect, it } from 'vitest';
import { trainSectionIssues, type Train } from '../src/index.js';
import { validTrain } from './valid-train.js';

function train(): Train {
  // Broken on purpose: a section other than the one checked must not be reported.
  return { ...validTrain(), controller: { ...validTrain().controller!, powerCommandW: -1 } };
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
