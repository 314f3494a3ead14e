import {
  validateTrainData as rawTrainData,
  validateTrackLayout as rawTrackLayout,
  type TrainData,
  type TrackLayout,
} from './generated/index.js';
import type { ValidationIssue } from './errors.js';
import { toValidationIssues, type AjvErrorLike } from './validation-issues.js';

/** A precompiled validator: a type guard that keeps the issues of its last failed call. */
export interface Validator<T> {
  (value: unknown): value is T;
  /** Issues of the value, [] when it is valid. Does not throw. */
  issues(value: unknown): ValidationIssue[];
}

type RawValidator = ((value: unknown) => boolean) & { errors?: AjvErrorLike[] | null };

function wrap<T>(raw: RawValidator): Validator<T> {
  const guard = ((value: unknown): value is T => raw(value)) as Validator<T>;
  guard.issues = (value: unknown) => (raw(value) ? [] : toValidationIssues(raw.errors, value));
  return guard;
}

/** Type guard for the shared train_data.json document (schema version 1). */
export const isTrainData: Validator<TrainData> = wrap<TrainData>(rawTrainData as RawValidator);
/** Type guard for a parsed track line. */
export const isTrackLayout: Validator<TrackLayout> = wrap<TrackLayout>(rawTrackLayout as RawValidator);
