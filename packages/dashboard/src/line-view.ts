import type { TrackLayout } from '@rail/schema';
import type { BlockView, LineView, RouteStepView } from './protocol.js';

/** The part of a route step the dashboard reads (what @rail/track's route steps carry). */
export interface DashboardRouteStep {
  index: number;
  block: number;
  direction: string | number;
  lengthM: number;
  startM: number;
}

/** A parsed line and its route, as `loadBuiltinLine` from @rail/track returns them. */
export interface DashboardLine {
  layout: TrackLayout;
  route?: { steps: readonly DashboardRouteStep[] } | null;
}

/** Turns a parsed line into what the page draws. */
export function toLineView(line: string, source: DashboardLine): LineView {
  const blocks: BlockView[] = source.layout.blocks
    .map((b) => ({
      number: b.number,
      section: b.section,
      lengthM: b.lengthM,
      speedLimitMps: b.speedLimitMps,
      station: b.station ? b.station.name : null,
    }))
    .sort((a, b) => a.number - b.number);
  const route: RouteStepView[] = (source.route?.steps ?? []).map((s) => ({
    index: s.index,
    block: s.block,
    direction: s.direction,
    startM: s.startM,
    lengthM: s.lengthM,
  }));
  return { line, blocks, route };
}

/** Speed limit of a block, m/s, or null when the block is not on the line. */
export function blockSpeedLimitMps(view: LineView | undefined, block: number | null | undefined): number | null {
  if (!view || block === null || block === undefined) return null;
  const found = view.blocks.find((b) => b.number === block);
  return found ? found.speedLimitMps : null;
}
