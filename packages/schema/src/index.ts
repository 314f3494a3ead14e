export type * from './generated/train-data.types.js';
export type * from './generated/track-layout.types.js';
export { trainDataSchema, trackLayoutSchema } from './generated/index.js';
export { isTrainData, isTrackLayout, type Validator } from './validators.js';
export { parseTrainData, parseTrackLayout, assertTrainData, type ParseResult } from './parse.js';
export { parseJsonText, lineColumnAt } from './json-text.js';
export { formatIssues } from './validation-issues.js';
export { trainSectionIssues } from './train-section-issues.js';
export { RailSchemaError, type RailSchemaErrorCode, type ValidationIssue } from './errors.js';
export { SCHEMA_VERSION, FLEXITY2_SPECS, emptyTrainData } from './defaults.js';
export { importLegacyTrainData, type ImportLegacyOptions, type ImportResult } from './legacy/import-legacy.js';
export {
  formatImportReport,
  type ImportReport,
  type TrainImportReport,
  type ConvertedEntry,
  type DroppedEntry,
  type GuessedEntry,
} from './legacy/import-report.js';
export type { UnitSystem } from './legacy/units.js';
export { changedPaths } from './document-diff.js';
