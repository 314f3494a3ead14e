/** The quantities plotted per train, all SI; `null` where the document has no value yet. */
export interface SeriesPoint {
  /** Simulated time, seconds (s). */
  tS: number;
  speedMps: number | null;
  commandedSpeedMps: number | null;
  speedLimitMps: number | null;
  powerCommandW: number | null;
  authorityM: number | null;
}

export type SeriesField = Exclude<keyof SeriesPoint, 'tS'>;

export const SERIES_FIELDS: readonly SeriesField[] = [
  'speedMps',
  'commandedSpeedMps',
  'speedLimitMps',
  'powerCommandW',
  'authorityM',
];

/** Column-wise form of a series: what the SSE history carries and what uPlot draws. */
export type SeriesColumns = { tS: number[] } & { [K in SeriesField]: (number | null)[] };

export function emptyColumns(): SeriesColumns {
  return { tS: [], speedMps: [], commandedSpeedMps: [], speedLimitMps: [], powerCommandW: [], authorityM: [] };
}

/**
 * A bounded time series that covers the whole run: when it grows past `capacity`, every second point
 * of its older half is dropped, so old stretches get sparser (decimated) but never disappear, and the
 * most recent half keeps full resolution. The first point of the run is always kept.
 *
 * Shared by the server (history for late joiners) and the page (what the charts draw), so both
 * decimate the same way.
 */
export class DecimatingSeries {
  private cols: SeriesColumns = emptyColumns();
  /** How many times the series started over because simulated time went backwards (a sim restart). */
  restarts = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 4) {
      throw new RangeError(`DecimatingSeries: capacity must be an integer >= 4, got ${capacity}; pass a larger history size.`);
    }
  }

  get length(): number {
    return this.cols.tS.length;
  }

  /**
   * Adds a point. A point at the same simulated time as the last one replaces it (several modules
   * commit for one simulation step); a point earlier than the last one means the simulation restarted,
   * and the series starts over.
   */
  push(point: SeriesPoint): void {
    const n = this.cols.tS.length;
    const lastT = n > 0 ? this.cols.tS[n - 1] : undefined;
    if (lastT !== undefined && point.tS < lastT) {
      this.cols = emptyColumns();
      this.restarts += 1;
    }
    if (lastT !== undefined && point.tS === lastT) {
      for (const f of SERIES_FIELDS) this.cols[f][n - 1] = point[f];
      return;
    }
    this.cols.tS.push(point.tS);
    for (const f of SERIES_FIELDS) this.cols[f].push(point[f]);
    if (this.cols.tS.length > this.capacity) this.decimate();
  }

  private decimate(): void {
    const len = this.cols.tS.length;
    const half = Math.floor(len / 2);
    const keep: number[] = [];
    for (let i = 0; i < half; i += 2) keep.push(i);
    for (let i = half; i < len; i++) keep.push(i);
    const pick = <T>(arr: T[]): T[] => keep.map((i) => arr[i] as T);
    const next = { tS: pick(this.cols.tS) } as SeriesColumns;
    for (const f of SERIES_FIELDS) next[f] = pick(this.cols[f]);
    this.cols = next;
  }

  /** A copy of the columns. */
  toColumns(): SeriesColumns {
    const out = { tS: [...this.cols.tS] } as SeriesColumns;
    for (const f of SERIES_FIELDS) out[f] = [...this.cols[f]];
    return out;
  }

  /** The live columns, for a chart that redraws from them; do not mutate. */
  view(): Readonly<SeriesColumns> {
    return this.cols;
  }

  /** Replaces the content, e.g. with the history the server sent. */
  load(columns: SeriesColumns): void {
    this.cols = emptyColumns();
    for (let i = 0; i < columns.tS.length; i++) {
      const t = columns.tS[i];
      if (t === undefined) continue;
      const p: SeriesPoint = {
        tS: t,
        speedMps: columns.speedMps[i] ?? null,
        commandedSpeedMps: columns.commandedSpeedMps[i] ?? null,
        speedLimitMps: columns.speedLimitMps[i] ?? null,
        powerCommandW: columns.powerCommandW[i] ?? null,
        authorityM: columns.authorityM[i] ?? null,
      };
      this.push(p);
    }
  }
}
