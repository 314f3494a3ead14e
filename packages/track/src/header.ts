/** The columns the parser understands, by role. */
export type ColumnRole =
  | 'line'
  | 'section'
  | 'number'
  | 'length'
  | 'grade'
  | 'speed'
  | 'infrastructure'
  | 'side'
  | 'elevation'
  | 'cumulativeElevation'
  | 'traverseSeconds';

export type SpeedUnit = 'km/h' | 'mph' | 'm/s';
export type LengthUnit = 'm' | 'ft';

export interface HeaderMap {
  columns: Partial<Record<ColumnRole, number>>;
  speedUnit: SpeedUnit | null;
  lengthUnit: LengthUnit | null;
  /** 0-based indexes of columns whose header cell is blank. */
  unnamed: number[];
}

/** Lower case, letters and digits only, without the parenthesised unit: "Block Length (m)" → "blocklength". */
function key(cell: string): string {
  return cell.replace(/\([^)]*\)/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

function unitOf(cell: string): string | null {
  const m = /\(([^)]*)\)/.exec(cell);
  return m ? m[1]!.toLowerCase().replace(/\s+/g, '') : null;
}

function roleOf(k: string): ColumnRole | null {
  if (k === 'line' || k === 'trackline') return 'line';
  if (k === 'section') return 'section';
  if (['blocknumber', 'block', 'blockno', 'blocknum', 'blockid'].includes(k)) return 'number';
  if (k === 'blocklength' || k === 'length') return 'length';
  if (k === 'blockgrade' || k === 'grade') return 'grade';
  if (k === 'speedlimit' || k === 'blockspeedlimit') return 'speed';
  if (k === 'infrastructure') return 'infrastructure';
  if (k === 'stationside' || k === 'side') return 'side';
  if (k === 'elevation') return 'elevation';
  // The sheet spells it CUMALTIVE.
  if (/^cum\w*elevation$/.test(k)) return 'cumulativeElevation';
  if (k.includes('traverse')) return 'traverseSeconds';
  return null;
}

function speedUnit(unit: string | null): SpeedUnit | null {
  if (unit === null) return null;
  if (['km/hr', 'km/h', 'kmh', 'kph', 'kmph'].includes(unit)) return 'km/h';
  if (unit === 'mph' || unit === 'mi/h') return 'mph';
  if (unit === 'm/s' || unit === 'mps') return 'm/s';
  return null;
}

function lengthUnit(unit: string | null): LengthUnit | null {
  if (unit === null) return null;
  if (unit === 'm' || unit === 'meters' || unit === 'metres') return 'm';
  if (unit === 'ft' || unit === 'feet') return 'ft';
  return null;
}

/** Maps header cells to roles; returns null when the row is not a track-layout header. */
export function matchHeader(cells: string[]): HeaderMap | null {
  const map: HeaderMap = { columns: {}, speedUnit: null, lengthUnit: null, unnamed: [] };
  cells.forEach((cell, index) => {
    if (cell.trim() === '') {
      map.unnamed.push(index);
      return;
    }
    const role = roleOf(key(cell));
    if (role === null || map.columns[role] !== undefined) return;
    map.columns[role] = index;
    if (role === 'speed') map.speedUnit = speedUnit(unitOf(cell));
    if (role === 'length') map.lengthUnit = lengthUnit(unitOf(cell));
  });
  const c = map.columns;
  return c.number !== undefined && c.length !== undefined && c.speed !== undefined ? map : null;
}

/** Converts a speed in the sheet's unit to m/s. */
export function toMps(value: number, unit: SpeedUnit): number {
  if (unit === 'km/h') return value / 3.6;
  if (unit === 'mph') return (value * 1609.344) / 3600;
  return value;
}

/** Converts a length in the sheet's unit to m. */
export function toMetres(value: number, unit: LengthUnit): number {
  return unit === 'ft' ? value * 0.3048 : value;
}
