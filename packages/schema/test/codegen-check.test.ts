import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const pkg = join(import.meta.dirname, '..');
const repo = join(pkg, '..', '..');
const tsx = join(repo, 'node_modules', '.bin', 'tsx');
const work = mkdtempSync(join(tmpdir(), 'rail-codegen-'));
const schemas = join(work, 'schemas');
const out = join(work, 'generated');

function codegen(...args: string[]) {
  const r = spawnSync(tsx, ['scripts/codegen.ts', '--schemas', schemas, '--out', out, ...args], { cwd: pkg, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('codegen --check', () => {
  cpSync(join(repo, 'schemas'), schemas, { recursive: true });
  cpSync(join(pkg, 'src', 'generated'), out, { recursive: true });

  it('passes on the committed schemas and generated code', () => {
    const r = codegen('--check');
    expect(r.output).toMatch(/generated files are up to date/);
    expect(r.status).toBe(0);
  });

  it('fails, naming the stale files, when a schema changes and the code is not regenerated', () => {
    const file = join(schemas, 'train-data.schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    schema.definitions.Specs.properties.wheelCount = { type: 'integer', minimum: 0, description: 'Wheels, count.' };
    writeFileSync(file, JSON.stringify(schema, null, 2));
    const r = codegen('--check');
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/generated code is stale \(.*train-data\.types\.ts/);
    expect(r.output).toMatch(/Run `pnpm codegen`/);
  });

  it('passes again once regenerated, and the new field is in the types', () => {
    expect(codegen().status).toBe(0);
    expect(readFileSync(join(out, 'train-data.types.ts'), 'utf8')).toMatch(/wheelCount\?: number;/);
    expect(codegen('--check').status).toBe(0);
  });

  it('fails when the output holds a file no schema generates', () => {
    writeFileSync(join(out, 'old-thing.types.ts'), 'export {};\n');
    const r = codegen('--check');
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/old-thing\.types\.ts \(no schema\)/);
  });
});
