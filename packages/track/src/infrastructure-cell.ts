import type { TrackWarning } from './warnings.js';

export type SwitchEnd = number | 'yard';

/** What one Infrastructure cell says about its block. */
export interface InfrastructureInfo {
  /** Station named in the cell; name null for a bare `STATION` (the caller names it). */
  station: { name: string | null } | null;
  switch: { connections: [[SwitchEnd, SwitchEnd], ...[SwitchEnd, SwitchEnd][]]; raw: string } | null;
  /** The cell is `SWITCH TO YARD` / `SWITCH FROM YARD`. */
  yardSwitch: 'to' | 'from' | null;
  crossing: boolean;
  underground: boolean;
  warnings: Omit<TrackWarning, 'line'>[];
  /** Reasons the cell cannot be used; the row is malformed. */
  problems: string[];
}

/** Splits on `;` outside parentheses: `SWITCH (12-13; 1-13)` is one part, `STATION; X` two. */
function splitParts(cell: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of cell) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ';' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim().replace(/\s+/g, ' ')).filter((p) => p !== '');
}

/** `UNDERGROUND`, or one letter off it (the Green sheet writes `UNDERDROUND`). */
function undergroundSpelling(part: string): 'exact' | 'misspelt' | null {
  const word = part.toUpperCase().replace(/\s+/g, '');
  const target = 'UNDERGROUND';
  if (word === target) return 'exact';
  if (word.length !== target.length) return null;
  let diff = 0;
  for (let i = 0; i < word.length; i++) if (word[i] !== target[i]) diff++;
  return diff === 1 ? 'misspelt' : null;
}

function parseEnd(token: string): SwitchEnd {
  return /^yard$/i.test(token) ? 'yard' : Number(token);
}

/** Reads one Infrastructure cell. Never throws: problems and warnings are returned. */
export function parseInfrastructureCell(raw: string): InfrastructureInfo {
  const info: InfrastructureInfo = {
    station: null,
    switch: null,
    yardSwitch: null,
    crossing: false,
    underground: false,
    warnings: [],
    problems: [],
  };
  let awaitingStationName = false;
  for (const part of splitParts(raw)) {
    if (/^switch\b/i.test(part)) {
      const connections: [SwitchEnd, SwitchEnd][] = [];
      for (const m of part.matchAll(/(\d+|yard)\s*(?:-|\bto\b)\s*(\d+|yard)/gi)) {
        connections.push([parseEnd(m[1]!), parseEnd(m[2]!)]);
      }
      const [first, ...rest] = connections;
      if (first === undefined) {
        info.problems.push(`switch cell "${part}" names no block pairs; write them like "SWITCH (12-13; 1-13)"`);
      } else {
        info.switch = { connections: [first, ...rest], raw: raw.trim() };
      }
      if (/\bto\s+yard\b/i.test(part)) info.yardSwitch = 'to';
      else if (/\bfrom\s+yard\b/i.test(part)) info.yardSwitch = 'from';
      continue;
    }
    const station = /^station\b\s*[:;,-]?\s*(.*)$/i.exec(part);
    if (station) {
      const name = station[1]!.trim();
      info.station = { name: name === '' ? null : name };
      awaitingStationName = name === '';
      continue;
    }
    const underground = undergroundSpelling(part);
    if (underground) {
      info.underground = true;
      if (underground === 'misspelt') {
        info.warnings.push({ code: 'SPELLING', message: `"${part}" read as UNDERGROUND` });
      }
      continue;
    }
    if (/crossing/i.test(part)) {
      info.crossing = true;
      continue;
    }
    if (awaitingStationName && info.station) {
      info.station.name = part;
      awaitingStationName = false;
      continue;
    }
    info.warnings.push({
      code: 'UNKNOWN_INFRASTRUCTURE',
      message: `infrastructure "${part}" is not understood (expected STATION, SWITCH, UNDERGROUND, RAILWAY CROSSING); ignored`,
    });
  }
  return info;
}
