import type { ValueKind } from './field-map.js';

/** What a raw legacy value means for a field of the given kind. */
export type LegacyReading =
  | { kind: 'value'; value: unknown; note?: string }
  /** The file says "no value here" (`""`, or `null` outside the gains). */
  | { kind: 'unset'; why: string }
  | { kind: 'invalid'; reason: string };

const NUMBER_TEXT = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i;
const NOT_A_NUMBER_TEXT = /^[-+]?(?:nan|inf|infinity|none|null|undefined|n\/a|na)$/i;

function describe(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'an object';
  return `${typeof raw} ${JSON.stringify(raw)}`;
}

function readNumber(raw: unknown): LegacyReading {
  if (typeof raw === 'number') return Number.isFinite(raw) ? { kind: 'value', value: raw } : { kind: 'invalid', reason: 'not a finite number' };
  if (typeof raw === 'string') {
    const t = raw.trim();
    if (NUMBER_TEXT.test(t)) return { kind: 'value', value: Number(t), note: 'number stored as text' };
    if (NOT_A_NUMBER_TEXT.test(t)) return { kind: 'invalid', reason: `${JSON.stringify(raw)} is not a number (a NaN/None written as text)` };
  }
  return { kind: 'invalid', reason: `must be a number, found ${describe(raw)}` };
}

function readBoolean(raw: unknown): LegacyReading {
  if (typeof raw === 'boolean') return { kind: 'value', value: raw };
  if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) {
    return { kind: 'value', value: raw.trim().toLowerCase() === 'true', note: 'boolean stored as text' };
  }
  return { kind: 'invalid', reason: `must be true or false, found ${describe(raw)}` };
}

/**
 * Reads one legacy value for a field of `kind`. Never guesses silently: anything it cannot read is
 * `invalid` with a reason, and "no value" is `unset` with the spelling that said so.
 */
export function readLegacyValue(raw: unknown, kind: ValueKind): LegacyReading {
  if (typeof raw === 'string' && raw.trim() === '') return { kind: 'unset', why: 'empty string (the legacy spelling of "unset")' };
  if (raw === null) {
    if (kind === 'gain') return { kind: 'value', value: null, note: 'null kept: gains not set by an engineer' };
    return { kind: 'unset', why: 'null (unset)' };
  }
  switch (kind) {
    case 'number':
    case 'gain':
      return readNumber(raw);
    case 'integer': {
      const r = readNumber(raw);
      if (r.kind === 'value' && !Number.isInteger(r.value)) return { kind: 'invalid', reason: `must be a whole number, found ${String(r.value)}` };
      return r;
    }
    case 'boolean':
      return readBoolean(raw);
    case 'text':
      return typeof raw === 'string' ? { kind: 'value', value: raw.trim() } : { kind: 'invalid', reason: `must be text, found ${describe(raw)}` };
    case 'station-side': {
      const side = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
      if (side === 'left' || side === 'l') return { kind: 'value', value: 'left' };
      if (side === 'right' || side === 'r') return { kind: 'value', value: 'right' };
      if (side === 'both' || side === 'b' || side === 'left/right' || side === 'left and right') return { kind: 'value', value: 'both' };
      return { kind: 'invalid', reason: `must be left, right or both, found ${describe(raw)}` };
    }
    case 'manual-flag': {
      const r = readBoolean(raw);
      if (r.kind !== 'value') return r;
      return { kind: 'value', value: r.value ? 'manual' : 'auto', note: `manual_mode ${String(r.value)} means mode "${r.value ? 'manual' : 'auto'}"` };
    }
    case 'mode': {
      const m = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
      if (m === 'auto' || m === 'automatic') return { kind: 'value', value: 'auto' };
      if (m === 'manual') return { kind: 'value', value: 'manual' };
      return { kind: 'invalid', reason: `must be "auto" or "manual", found ${describe(raw)}` };
    }
  }
}
