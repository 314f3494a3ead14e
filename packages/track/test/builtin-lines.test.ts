import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BLUE_LINE_CSV, GREEN_LINE_CSV, loadBuiltinLine, type BuiltinLineName } from '../src/index.js';

describe('built-in lines', () => {
  it('embed the fixture sheets byte for byte (rerun scripts/embed-lines.ts if this fails)', () => {
    expect(GREEN_LINE_CSV).toBe(readFileSync(new URL('../fixtures/green-line.csv', import.meta.url), 'utf8'));
    expect(BLUE_LINE_CSV).toBe(readFileSync(new URL('../fixtures/blue-line.csv', import.meta.url), 'utf8'));
    expect(GREEN_LINE_CSV).toContain('\r\n');
  });

  it('load a layout and its route', () => {
    const green = loadBuiltinLine('Green');
    expect(green.layout.source).toBe('green-line.csv');
    expect(green.route.steps[0]!.block).toBe(63);
    expect(green.warnings.length).toBeGreaterThan(0);
  });

  it('refuse an unknown line name with UNKNOWN_LINE', () => {
    expect(() => loadBuiltinLine('Red' as BuiltinLineName)).toThrow(expect.objectContaining({ code: 'UNKNOWN_LINE' }));
  });
});
