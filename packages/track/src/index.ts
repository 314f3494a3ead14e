export { parseTrackCsv, type ParseTrackCsvOptions, type ParsedTrack } from './parse-track-csv.js';
export { deriveRoute } from './derive-route.js';
export { nextRouteIndex, routeLengthM, type Route, type RouteStep, type RouteOptions, type Direction } from './route.js';
export { loadBuiltinLine, type BuiltinLineName, type LoadedLine } from './builtin-lines.js';
export { TrackError, type TrackErrorCode, type TrackIssue } from './errors.js';
export type { TrackWarning, TrackWarningCode } from './warnings.js';
export type { TrackLayout, Block } from '@rail/schema';
export { GREEN_LINE_CSV } from './lines/green.js';
export { BLUE_LINE_CSV } from './lines/blue.js';
