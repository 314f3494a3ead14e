import type { Block, TrackLayout } from '@rail/schema';
import { TrackError } from './errors.js';
import type { Direction, Route, RouteOptions, RouteStep } from './route.js';

type End = 'lo' | 'hi';
/** A block end: `lo` faces block number − 1, `hi` faces block number + 1. */
interface Port {
  block: number;
  end: End;
}
type Target = Port | 'yard';

const portKey = (p: Port) => `${p.block}:${p.end}`;
const targetKey = (t: Target) => (t === 'yard' ? 'yard' : portKey(t));
const edgeKey = (a: Port, b: Target) => [portKey(a), targetKey(b)].sort().join('|');

function unresolved(layout: TrackLayout, message: string): TrackError {
  const source = layout.source ?? layout.line;
  return new TrackError('ROUTE_UNRESOLVED', `${source}: cannot derive the ${layout.line} Line route: ${message}`, { source });
}

interface Jumps {
  edges: [Port, Port][];
  /** Ends given up to a jump: their consecutive neighbour is no longer connected there. */
  legPorts: Set<string>;
}

/**
 * Works out which end of each block a switch connection uses. A pair of consecutive blocks uses
 * the ends facing each other. For a pair that jumps (e.g. 1-13), the block that also has a
 * consecutive pair in a switch is the switch's common block and uses that end; the other block
 * (the leg) uses, in order of preference: the end with no neighbouring block, the end whose
 * neighbour already gave its facing end to another jump, or the end at a section boundary.
 */
function resolveJumps(layout: TrackLayout, byNumber: Map<number, Block>): Jumps {
  const pairs = new Map<string, [number, number]>();
  for (const block of layout.blocks) {
    for (const [a, b] of block.switch?.connections ?? []) {
      if (typeof a !== 'number' || typeof b !== 'number') continue;
      for (const n of [a, b]) {
        if (!byNumber.has(n)) {
          throw unresolved(layout, `switch "${block.switch!.raw}" (line ${block.sourceLine}) names block ${n}, which is not in the sheet; correct the switch cell`);
        }
      }
      const [x, y] = a < b ? [a, b] : [b, a];
      pairs.set(`${x}-${y}`, [x, y]);
    }
  }
  const consecutive = [...pairs.values()].filter(([x, y]) => y - x === 1);
  const jumps = [...pairs.values()].filter(([x, y]) => y - x !== 1);
  const commonEnd = new Map<number, End>();
  const legEnd = new Map<number, End>();
  const pending = new Set<number>();
  for (const [x, y] of jumps) {
    for (const n of [x, y]) {
      const pair = consecutive.find(([p, q]) => p === n || q === n);
      if (pair) commonEnd.set(n, pair[0] === n ? 'hi' : 'lo');
      else pending.add(n);
    }
  }
  const sectionOf = (n: number) => byNumber.get(n)?.section;
  for (let progress = true; progress && pending.size > 0; ) {
    progress = false;
    for (const n of [...pending]) {
      let end: End | null = null;
      if (!byNumber.has(n - 1)) end = 'lo';
      else if (!byNumber.has(n + 1)) end = 'hi';
      else if (legEnd.get(n - 1) === 'hi') end = 'lo';
      else if (legEnd.get(n + 1) === 'lo') end = 'hi';
      else {
        const loBoundary = sectionOf(n - 1) !== sectionOf(n);
        const hiBoundary = sectionOf(n + 1) !== sectionOf(n);
        if (loBoundary !== hiBoundary) end = loBoundary ? 'lo' : 'hi';
      }
      if (end !== null) {
        legEnd.set(n, end);
        pending.delete(n);
        progress = true;
      }
    }
  }
  if (pending.size > 0) {
    throw unresolved(
      layout,
      `cannot tell which end of block ${[...pending].join(', ')} a switch joins (both neighbours exist and no ` +
        'section boundary decides it); give the block its own section letter or correct the switch cell',
    );
  }
  const endOf = (n: number) => (commonEnd.get(n) ?? legEnd.get(n))!;
  return {
    edges: jumps.map(([x, y]) => [
      { block: x, end: endOf(x) },
      { block: y, end: endOf(y) },
    ]),
    legPorts: new Set([...legEnd].map(([block, end]) => portKey({ block, end }))),
  };
}

/** The block end a yard switch joins: the end facing the row the cell is written on. */
function yardPorts(layout: TrackLayout, byNumber: Map<number, Block>): Port[] {
  const ports: Port[] = [];
  for (const block of layout.blocks) {
    for (const [a, b] of block.switch?.connections ?? []) {
      const n = a === 'yard' ? b : b === 'yard' ? a : null;
      if (typeof n !== 'number') continue;
      let end: End | null = null;
      if (block.number === n + 1) end = 'hi';
      else if (block.number === n - 1) end = 'lo';
      else if (!byNumber.has(n - 1)) end = 'lo';
      else if (!byNumber.has(n + 1)) end = 'hi';
      if (end === null) {
        throw unresolved(
          layout,
          `yard switch "${block.switch!.raw}" (line ${block.sourceLine}) does not say which end of block ${n} joins the yard; write it on the row next to that end`,
        );
      }
      ports.push({ block: n, end });
    }
  }
  return ports;
}

/** The end of the first block a train enters from the yard. */
function startPort(layout: TrackLayout, byNumber: Map<number, Block>, yard: Port[]): Port {
  const first = layout.yard.fromYard[0];
  if (first === undefined || !byNumber.has(first)) {
    throw unresolved(layout, `layout.yard.fromYard names no block of the sheet (${JSON.stringify(layout.yard.fromYard)}); add a "SWITCH FROM YARD (Yard-N)" cell`);
  }
  const fromSwitch = yard.find((p) => p.block === first);
  if (fromSwitch) return fromSwitch;
  if (!byNumber.has(first - 1)) return { block: first, end: 'lo' };
  if (!byNumber.has(first + 1)) return { block: first, end: 'hi' };
  throw unresolved(layout, `block ${first} is entered from the yard, but nothing says at which end; add a "SWITCH FROM YARD (Yard-${first})" cell next to that end`);
}

/**
 * Derives the route a train takes from the yard through the line, following the switch cells.
 * At a switch it prefers a connection it has not travelled yet, then the next block by number,
 * never the yard while another way exists; `options.via` overrides the choice. The route closes
 * when it re-enters a block in a direction it already took (`loopsTo`), or ends at a dead end.
 */
export function deriveRoute(layout: TrackLayout, options: RouteOptions = {}): Route {
  const byNumber = new Map(layout.blocks.map((b) => [b.number, b]));
  const jumps = resolveJumps(layout, byNumber);
  const yard = yardPorts(layout, byNumber);

  const connections = new Map<string, Target[]>();
  const connect = (from: Port, to: Target) => {
    const list = connections.get(portKey(from)) ?? [];
    if (!list.some((t) => targetKey(t) === targetKey(to))) list.push(to);
    connections.set(portKey(from), list);
  };
  for (const block of layout.blocks) {
    const hi: Port = { block: block.number, end: 'hi' };
    const next: Port = { block: block.number + 1, end: 'lo' };
    if (byNumber.has(next.block) && !jumps.legPorts.has(portKey(hi)) && !jumps.legPorts.has(portKey(next))) {
      connect(hi, next);
      connect(next, hi);
    }
  }
  for (const [a, b] of jumps.edges) {
    connect(a, b);
    connect(b, a);
  }
  for (const p of yard) connect(p, 'yard');

  const via = new Set(options.via ?? []);
  const used = new Set<string>();
  const entered = new Map<string, number>();
  const steps: RouteStep[] = [];
  let port = startPort(layout, byNumber, yard);
  let startM = 0;
  let loopsTo: number | null = null;
  const limit = layout.blocks.length * 2 + 1;

  for (;;) {
    const block = byNumber.get(port.block)!;
    const direction: Direction = port.end === 'lo' ? 1 : -1;
    const seen = entered.get(`${block.number}:${direction}`);
    if (seen !== undefined) {
      loopsTo = seen;
      break;
    }
    if (steps.length >= limit) {
      throw unresolved(layout, `the route passes ${limit} blocks without closing a loop or ending; check the switch cells`);
    }
    entered.set(`${block.number}:${direction}`, steps.length);
    const grade = direction === 1 ? block.gradePercent : block.gradePercent === 0 ? 0 : -block.gradePercent;
    steps.push({
      index: steps.length,
      block: block.number,
      direction,
      lengthM: block.lengthM,
      gradePercent: grade,
      speedLimitMps: block.speedLimitMps,
      station: block.station === null ? null : { name: block.station.name, side: block.station.side },
      startM,
    });
    startM += block.lengthM;

    const exit: Port = { block: block.number, end: direction === 1 ? 'hi' : 'lo' };
    const options = connections.get(portKey(exit)) ?? [];
    const track = options.filter((t): t is Port => t !== 'yard');
    if (track.length === 0) break;
    const rank = (t: Port) =>
      (via.has(t.block) ? 0 : 4) + (used.has(edgeKey(exit, t)) ? 2 : 0) + (Math.abs(t.block - block.number) === 1 ? 0 : 1);
    const chosen = [...track].sort((a, b) => rank(a) - rank(b) || a.block - b.block)[0]!;
    used.add(edgeKey(exit, chosen));
    port = chosen;
  }

  for (const block of via) {
    if (!steps.some((s) => s.block === block)) {
      throw unresolved(layout, `options.via names block ${block}, which no switch on the route leads to; pick a block a switch connects`);
    }
  }
  return { line: layout.line, steps, loopsTo };
}
