/** Codes of the non-fatal oddities a parse reports instead of silently fixing. */
export type TrackWarningCode =
  | 'EMPTY_ROW'
  | 'JUNK_ROW'
  | 'UNNAMED_COLUMN'
  | 'UNNAMED_STATION'
  | 'SPELLING'
  | 'UNKNOWN_INFRASTRUCTURE'
  | 'SIDE_WITHOUT_STATION'
  | 'YARD_INFERRED'
  | 'UNIT_ASSUMED';

/** Something odd in the sheet that the parser handled in a documented way. */
export interface TrackWarning {
  code: TrackWarningCode;
  /** 1-based line in the source file, null when the oddity concerns the whole file. */
  line: number | null;
  message: string;
}
