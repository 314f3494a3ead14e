import type { TrackLayout } from '@rail/schema';
import { deriveRoute } from './derive-route.js';
import { TrackError } from './errors.js';
import { BLUE_LINE_CSV } from './lines/blue.js';
import { GREEN_LINE_CSV } from './lines/green.js';
import { parseTrackCsv } from './parse-track-csv.js';
import type { Route, RouteOptions } from './route.js';
import type { TrackWarning } from './warnings.js';

export type BuiltinLineName = 'Green' | 'Blue';

export interface LoadedLine {
  layout: TrackLayout;
  route: Route;
  warnings: TrackWarning[];
}

const SHEETS: Record<BuiltinLineName, { csv: string; source: string }> = {
  Green: { csv: GREEN_LINE_CSV, source: 'green-line.csv' },
  Blue: { csv: BLUE_LINE_CSV, source: 'blue-line.csv' },
};

/**
 * The course's Green or Blue Line, parsed from the sheet embedded in this package (no file is
 * read), with its derived route. `options` go to `deriveRoute` (e.g. `{ via: [11] }` for Blue C).
 */
export function loadBuiltinLine(name: BuiltinLineName, options: RouteOptions = {}): LoadedLine {
  const sheet = SHEETS[name];
  if (sheet === undefined) {
    throw new TrackError(
      'UNKNOWN_LINE',
      `loadBuiltinLine: no built-in line named ${JSON.stringify(name)}; use one of ${Object.keys(SHEETS).join(', ')}, or parseTrackCsv() your own sheet`,
    );
  }
  const { layout, warnings } = parseTrackCsv(sheet.csv, { source: sheet.source });
  return { layout, route: deriveRoute(layout, options), warnings };
}
