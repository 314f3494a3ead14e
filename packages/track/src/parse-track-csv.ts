import { formatIssues, isTrackLayout, type Block, type TrackLayout } from '@rail/schema';
import { readCsvRows, type CsvRow } from './csv-rows.js';
import { TrackError, type TrackIssue } from './errors.js';
import { matchHeader, toMetres, toMps, type HeaderMap } from './header.js';
import { parseInfrastructureCell } from './infrastructure-cell.js';
import type { TrackWarning } from './warnings.js';

export interface ParseTrackCsvOptions {
  /** File name or label used in errors and stored as `layout.source`. */
  source?: string;
  /** Line name to use when the sheet's Line column is empty everywhere. */
  line?: string;
}

/** A parsed sheet: the validated layout and every oddity the parser worked around. */
export interface ParsedTrack {
  layout: TrackLayout;
  warnings: TrackWarning[];
}

/** How far down the file a header row may start (title rows above it are tolerated). */
const HEADER_SEARCH_ROWS = 10;

const blank = (cell: string | undefined) => cell === undefined || cell.trim() === '';
const fixHint = 'Fix the cell in the sheet (or the CSV) and parse again.';

/** A row of ascending integers 1,2,3,… is a spreadsheet column-number row pasted into the export. */
function isCountingRow(cells: string[]): boolean {
  const filled = cells.filter((c) => !blank(c)).map((c) => c.trim());
  if (filled.length < 3 || !filled.every((c) => /^\d+$/.test(c))) return false;
  return filled.every((c, i) => Number(c) === Number(filled[0]) + i);
}

function numberCell(cell: string | undefined): number | null {
  if (blank(cell)) return null;
  const text = cell!.trim();
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}

type StationSide = NonNullable<Block['station']>['side'];

function stationSide(cell: string | undefined): StationSide | 'invalid' {
  if (blank(cell)) return null;
  const words = cell!.toLowerCase().split(/[^a-z]+/).filter((w) => w !== '');
  const left = words.includes('left');
  const right = words.includes('right');
  if ((left && right) || words.includes('both')) return 'both';
  if (left && words.length === 1) return 'left';
  if (right && words.length === 1) return 'right';
  return 'invalid';
}

function findHeader(rows: CsvRow[], source: string): { index: number; header: HeaderMap } {
  let inspected = 0;
  for (let index = 0; index < rows.length && inspected < HEADER_SEARCH_ROWS; index++) {
    const row = rows[index]!;
    if (row.cells.every((c) => blank(c))) continue;
    inspected++;
    const header = matchHeader(row.cells);
    if (header) return { index, header };
  }
  const first = rows.find((r) => r.cells.some((c) => !blank(c)));
  const shown = first ? ` (line ${first.line} reads "${first.cells.join(',').slice(0, 80)}")` : ' (the file is empty)';
  throw new TrackError(
    'NOT_A_TRACK_LAYOUT',
    `${source}: not a track layout: no header row with "Block Number", "Block Length" and "Speed Limit" columns ` +
      `in its first ${HEADER_SEARCH_ROWS} rows${shown}. Pass the CSV export of a line sheet of the track-layout workbook.`,
    { source, line: first?.line },
  );
}

/**
 * Parses the CSV export of one line sheet of the course's track-layout workbook into a validated,
 * SI `TrackLayout`. Throws `TrackError` (NOT_A_TRACK_LAYOUT, MALFORMED_ROW, DUPLICATE_BLOCK,
 * INVALID_LAYOUT) naming the file and line; oddities it can handle are returned as warnings.
 */
export function parseTrackCsv(text: string, options: ParseTrackCsvOptions = {}): ParsedTrack {
  const source = options.source ?? '<track csv>';
  const rows = readCsvRows(text);
  const { index: headerIndex, header } = findHeader(rows, source);
  const col = header.columns;
  const warnings: TrackWarning[] = [];
  const malformed: TrackIssue[] = [];

  for (const row of rows.slice(0, headerIndex)) {
    if (row.cells.some((c) => !blank(c))) {
      warnings.push({ code: 'JUNK_ROW', line: row.line, message: 'row above the header ignored' });
    }
  }
  const headerLine = rows[headerIndex]!.line;
  const speedUnit = header.speedUnit ?? 'km/h';
  if (header.speedUnit === null) {
    warnings.push({ code: 'UNIT_ASSUMED', line: headerLine, message: 'Speed Limit header names no unit (km/h, mph, m/s); read as km/h' });
  }
  const lengthUnit = header.lengthUnit ?? 'm';
  if (header.lengthUnit === null) {
    warnings.push({ code: 'UNIT_ASSUMED', line: headerLine, message: 'Block Length header names no unit (m, ft); read as metres' });
  }

  const body = rows.slice(headerIndex + 1);
  for (const column of header.unnamed) {
    const used = body.find((r) => !blank(r.cells[column]) && !blank(r.cells[col.number!]));
    if (used) {
      warnings.push({
        code: 'UNNAMED_COLUMN',
        line: headerLine,
        message: `column ${column + 1} has no header but holds values (first at line ${used.line}); ignored`,
      });
    }
  }

  const blocks: Block[] = [];
  const seen = new Map<number, number>();
  const duplicates: TrackIssue[] = [];
  let lineName: string | null = null;
  let yardRow: number | null = null;
  const toYard = new Set<number>();
  const fromYard = new Set<number>();

  for (const row of body) {
    const cell = (index: number | undefined) => (index === undefined ? undefined : row.cells[index]);
    const problems: string[] = [];
    if (row.cells.every((c) => blank(c))) {
      warnings.push({ code: 'EMPTY_ROW', line: row.line, message: 'empty row ignored' });
      continue;
    }
    const firstFilled = row.cells.find((c) => !blank(c))!.trim();
    if (blank(cell(col.number)) && /^yard$/i.test(firstFilled)) {
      yardRow = row.line;
      continue;
    }
    if (blank(cell(col.number))) {
      warnings.push({ code: 'JUNK_ROW', line: row.line, message: `row without a block number ignored ("${row.cells.join(',')}")` });
      continue;
    }
    if (isCountingRow(row.cells)) {
      warnings.push({ code: 'JUNK_ROW', line: row.line, message: `row of column numbers ignored ("${row.cells.join(',')}")` });
      continue;
    }

    const rowLine = blank(cell(col.line)) ? null : cell(col.line)!.trim();
    if (rowLine !== null) {
      if (lineName === null) lineName = rowLine;
      else if (rowLine.toLowerCase() !== lineName.toLowerCase()) {
        problems.push(`Line is "${rowLine}" but the sheet is line "${lineName}"; a sheet holds one line`);
      }
    }

    const numberText = cell(col.number)!.trim();
    const number = Number(numberText);
    if (!/^\d+$/.test(numberText) || number < 1) problems.push(`Block Number "${numberText}" is not a positive whole number`);

    const section = (cell(col.section) ?? '').trim();
    if (!/^[A-Za-z0-9]{1,4}$/.test(section)) problems.push(`Section "${section}" is not 1-4 letters or digits`);

    const length = numberCell(cell(col.length));
    if (length === null || !(length > 0)) problems.push(`Block Length "${cell(col.length) ?? ''}" is not a positive number`);
    const grade = col.grade === undefined ? 0 : numberCell(cell(col.grade));
    if (grade === null || Number.isNaN(grade)) problems.push(`Block Grade "${cell(col.grade) ?? ''}" is not a number`);
    const speed = numberCell(cell(col.speed));
    if (speed === null || !(speed > 0)) problems.push(`Speed Limit "${cell(col.speed) ?? ''}" is not a positive number`);
    const elevation = numberCell(cell(col.elevation));
    if (Number.isNaN(elevation)) problems.push(`ELEVATION "${cell(col.elevation)}" is not a number`);
    const cumulative = numberCell(cell(col.cumulativeElevation));
    if (Number.isNaN(cumulative)) problems.push(`CUMULATIVE ELEVATION "${cell(col.cumulativeElevation)}" is not a number`);

    const infra = parseInfrastructureCell(cell(col.infrastructure) ?? '');
    problems.push(...infra.problems);
    for (const w of infra.warnings) warnings.push({ ...w, line: row.line });
    const side = stationSide(cell(col.side));
    if (side === 'invalid') problems.push(`Station Side "${cell(col.side)}" is not Left, Right or Left/Right`);

    if (problems.length > 0) {
      for (const p of problems) malformed.push({ line: row.line, message: p });
      continue;
    }

    let station: Block['station'] = null;
    if (infra.station) {
      let name = infra.station.name;
      if (name === null) {
        // The Blue sheet names its stations after their section ("Station B" in section B); a
        // bare STATION gets the same convention rather than an invented name.
        name = section;
        warnings.push({
          code: 'UNNAMED_STATION',
          line: row.line,
          message: `block ${number}: STATION has no name; named "${name}" after its section`,
        });
      }
      station = { name, side: side === 'invalid' ? null : side };
    } else if (side !== null) {
      warnings.push({ code: 'SIDE_WITHOUT_STATION', line: row.line, message: `block ${number}: Station Side given without a station; ignored` });
    }

    for (const [a, b] of infra.switch?.connections ?? []) {
      if (b === 'yard' && typeof a === 'number') toYard.add(a);
      if (a === 'yard' && typeof b === 'number') fromYard.add(b);
    }

    const first = seen.get(number);
    if (first !== undefined) {
      duplicates.push({ line: row.line, message: `block ${number} appears again (first at line ${first})` });
      continue;
    }
    seen.set(number, row.line);
    const block: Block = {
      section,
      number,
      lengthM: toMetres(length!, lengthUnit),
      gradePercent: grade!,
      speedLimitMps: toMps(speed!, speedUnit),
      elevationM: elevation === null ? null : toMetres(elevation, lengthUnit),
      cumulativeElevationM: cumulative === null ? null : toMetres(cumulative, lengthUnit),
      station,
      switch: infra.switch,
      crossing: infra.crossing,
      underground: infra.underground,
      sourceLine: row.line,
    };
    blocks.push(block);
  }

  if (malformed.length > 0) {
    throw new TrackError(
      'MALFORMED_ROW',
      `${source}: cannot parse track layout: ${malformed.length} problem${malformed.length === 1 ? '' : 's'} in block rows:\n` +
        malformed.map((i) => `  line ${i.line}: ${i.message}`).join('\n') +
        `\n${fixHint}`,
      { source, line: malformed[0]!.line ?? undefined, issues: malformed },
    );
  }
  if (duplicates.length > 0) {
    throw new TrackError(
      'DUPLICATE_BLOCK',
      `${source}: cannot parse track layout: block numbers must be unique within a line:\n` +
        duplicates.map((i) => `  line ${i.line}: ${i.message}`).join('\n') +
        '\nRenumber or delete the repeated rows.',
      { source, line: duplicates[0]!.line ?? undefined, issues: duplicates },
    );
  }
  if (blocks.length === 0) {
    throw new TrackError(
      'NOT_A_TRACK_LAYOUT',
      `${source}: not a track layout: the header (line ${headerLine}) is followed by no block rows. Pass a sheet with at least one block.`,
      { source, line: headerLine },
    );
  }
  const name = lineName ?? options.line ?? null;
  if (name === null) {
    throw new TrackError(
      'MALFORMED_ROW',
      `${source}: cannot parse track layout: the Line column is empty on every row (line ${blocks[0]!.sourceLine} is the first block). ` +
        'Fill it on the first block row or pass { line: "Name" }.',
      { source, line: blocks[0]!.sourceLine },
    );
  }

  if (fromYard.size === 0) {
    const first = blocks.reduce((a, b) => (b.number < a.number ? b : a));
    fromYard.add(first.number);
    if (toYard.size === 0) toYard.add(first.number);
    warnings.push({
      code: 'YARD_INFERRED',
      line: yardRow,
      message:
        `${yardRow === null ? 'no yard in the sheet' : 'the Yard row names no connection'}; ` +
        `assumed the yard joins block ${first.number} (the lowest-numbered block)`,
    });
  }

  const layout: TrackLayout = {
    line: name,
    source,
    yard: { toYard: [...toYard].sort((a, b) => a - b), fromYard: [...fromYard].sort((a, b) => a - b) },
    blocks: blocks as TrackLayout['blocks'],
  };
  if (!isTrackLayout(layout)) {
    const issues = isTrackLayout.issues(layout);
    throw new TrackError(
      'INVALID_LAYOUT',
      `${source}: the parsed layout does not satisfy track-layout.schema.json:\n${formatIssues(issues)}\n` +
        'The values in the sheet are out of the schema\'s range; fix those cells.',
      { source, issues: issues.map((i) => ({ line: null, message: `${i.path}: ${i.message}` })) },
    );
  }
  return { layout, warnings };
}
