import type { Train } from './generated/train-data.types.js';
import type { ValidationIssue } from './errors.js';
import { isTrainData } from './validators.js';

/**
 * What the schema says about one section a module computed for one train, checked on its own: the
 * train's line and specs plus that section, in an otherwise empty document. A module checks its
 * output this way before it writes, so a bug of its own is reported as its own, not as a document
 * some other writer broke. Issues are empty when the section is valid.
 */
export function trainSectionIssues(trainId: string, train: Train, section: 'model' | 'controller' | 'wayside'): ValidationIssue[] {
  const probe = {
    schemaVersion: 1,
    revision: 0,
    updatedAt: '1970-01-01T00:00:00Z',
    trains: { [trainId]: { line: train.line, specs: train.specs, [section]: train[section] } },
  };
  return isTrainData.issues(probe);
}
