import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const LEGACY = fileURLToPath(new URL('./fixtures/legacy-imperial-5-trains.json', import.meta.url));

function rail(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
}

describe('the rail bin (built dist, spawned)', () => {
  it('runs doctor on a legacy file: FAIL lines with the import command, exit 1', () => {
    const run = rail('doctor', LEGACY, '--watch', '0');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^FAIL\s+document\s+legacy/m);
    expect(run.stdout).toContain(`rail import ${LEGACY}`);
  });

  it('exits 64 with the usage on an unknown command or a bad flag', () => {
    const unknown = rail('docter', 'x.json');
    expect(unknown.status).toBe(64);
    expect(unknown.stderr).toContain('unknown command "docter"');
    expect(unknown.stderr).toContain('usage:');
    expect(rail('doctor', 'x.json', '--watch', 'soon').status).toBe(64);
    expect(rail('doctor').status).toBe(64);
  });
});
