import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '@rail/redis-store';
import { isTrainData, type TrainData } from '@rail/schema';
import { formatInspect, inspect, runDoctor, RailCliError, type DoctorReport } from '../src/index.js';
import { healthyDocument } from './helpers.js';
import { freePort, startRedisServer, type RedisServer } from '@rail/redis-store/testing';

const WRITER = fileURLToPath(new URL('./workers/steady-writer.mjs', import.meta.url));
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

const check = (report: DoctorReport, name: string) => {
  const found = report.checks.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no check named ${name} in ${report.checks.map((c) => c.name).join(', ')}`);
  return found;
};

async function writeThroughRedis(url: string, doc: TrainData, commits = 2): Promise<void> {
  const store = openStore<TrainData>(url, { validate: isTrainData, create: () => doc, redis: { label: 'test-setup' } });
  for (let i = 0; i < commits; i += 1) await store.update(() => structuredClone(doc));
  await store.close();
}

let always: RedisServer;
beforeAll(async () => {
  always = await startRedisServer({ appendfsync: 'always' });
});
afterAll(async () => {
  await always?.stop();
});

describe('rail doctor redis://…', () => {
  it('passes every check on a key a live writer keeps committing to, with appendfsync always', async () => {
    const url = always.url('healthy');
    await writeThroughRedis(url, healthyDocument());
    const writer = spawn(process.execPath, [WRITER, url, '100', '20000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        writer.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        writer.on('exit', (code) => reject(new Error(`the writer exited early with code ${code}`)));
      });

      const report = await runDoctor(url, { watchMs: 1500, expectedPeriodMs: 200 });

      expect(report.store).toBe('redis');
      expect(report.checks.map((c) => c.name)).toEqual(['redis-server', 'persistence', 'document', 'activity', 'last-writer', 'zero-power-motion', 'power-without-authority']);
      for (const c of report.checks) expect({ name: c.name, status: c.status, evidence: c.evidence }).toMatchObject({ status: 'pass' });
      expect(report.exitCode).toBe(0);
      expect(check(report, 'redis-server').evidence).toContain(`127.0.0.1:${always.port}`);
      expect(check(report, 'persistence').evidence).toContain('appendonly yes, appendfsync always');
      expect(check(report, 'document').evidence).toMatch(/valid train_data in key 'healthy', schema version 1, revision \d+, 2 trains/);
      expect(check(report, 'activity').evidence).toMatch(/^changing: revision \d+ → \d+/);
      expect(check(report, 'last-writer').evidence).toContain('last commit by steady-writer');
      expect(check(report, 'last-writer').evidence).toContain('lastWriter steady-writer');
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('warns that acknowledged updates can be lost under appendfsync everysec, and that nothing is changing', async () => {
    const everysec = await startRedisServer({ appendfsync: 'everysec' });
    try {
      const url = everysec.url('train_data');
      await writeThroughRedis(url, healthyDocument());

      const report = await runDoctor(url, { watchMs: 300, expectedPeriodMs: 100 });

      const persistence = check(report, 'persistence');
      expect(persistence.status).toBe('warn');
      expect(persistence.evidence).toContain('appendfsync everysec');
      expect(persistence.evidence).toContain('lose up to about 1 s');
      expect(persistence.hint).toContain('appendfsync always');
      expect(check(report, 'activity')).toMatchObject({ status: 'warn' });
      expect(check(report, 'activity').evidence).toContain('no commit in');
      expect(report.exitCode).toBe(2);
    } finally {
      await everysec.stop();
    }
  });

  it('fails a key whose document the schema rejects and names the offending path, without touching it', async () => {
    const url = always.url('broken');
    const bad = JSON.stringify({ schemaVersion: 1, revision: 4, updatedAt: '2026-01-01T00:00:00.000Z', trains: { T1: { line: 'Green', specs: 'none' } } });
    const set = spawnSync('redis-cli', ['-p', String(always.port), 'HSET', 'broken', 'doc', bad, 'rev', '4'], { encoding: 'utf8' });
    expect(set.status).toBe(0);

    const report = await runDoctor(url, { watchMs: 0 });

    const document = check(report, 'document');
    expect(document.status).toBe('fail');
    expect(document.evidence).toContain('revision 4 is not a valid train_data document');
    expect(document.evidence).toContain('/trains/T1');
    expect(check(report, 'zero-power-motion').evidence).toContain('not checked');
    expect(report.exitCode).toBe(1);
    const after = spawnSync('redis-cli', ['-p', String(always.port), 'HGET', 'broken', 'doc'], { encoding: 'utf8' });
    expect(after.stdout.trim()).toBe(bad);
  });

  it('fails with the server check alone when nothing listens on the port', async () => {
    const port = await freePort();

    const report = await runDoctor(`redis://127.0.0.1:${port}/train_data`, { watchMs: 0 });

    expect(report.checks.map((c) => ({ name: c.name, status: c.status }))).toEqual([{ name: 'redis-server', status: 'fail' }]);
    expect(report.checks[0]?.evidence).toContain(`cannot reach 127.0.0.1:${port}`);
    expect(report.exitCode).toBe(1);
  });

  it('exits 64 on a store URL it cannot parse, naming the accepted forms', () => {
    const run = spawnSync(process.execPath, [BIN, 'doctor', 'ftp://127.0.0.1/train_data'], { encoding: 'utf8' });
    expect(run.status).toBe(64);
    expect(run.stderr).toContain("the scheme 'ftp:' is not supported");
    expect(run.stderr).toContain('redis://host:port/key');
  });
});

describe('rail inspect redis://…', () => {
  it('shows the trains stored under a Redis key like those of a file', async () => {
    const url = always.url('inspect-me');
    await writeThroughRedis(url, healthyDocument());

    const result = await inspect(url);

    expect(result.path).toBe(`redis://127.0.0.1:${always.port}/inspect-me`);
    expect(result.trains.map((t) => t.id)).toEqual(['T1', 'T2']);
    const t1 = formatInspect(result)
      .split('\n')
      .find((l) => l.startsWith('T1'));
    // 10 m/s × 3.6 = 36.0 km/h; 60 000 W = 60.0 kW; authority 280 m as the model published it.
    expect(t1).toMatch(/^T1\s+Green\s+66\s+36\.0\s+70\s+68\s+60\.0\s+280\s+420/);
  });

  it('reports a key that does not exist as NOT_FOUND', async () => {
    const error = await inspect(always.url('no-such-key')).catch((e: unknown) => e);
    expect(RailCliError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
    expect((error as Error).message).toContain("key 'no-such-key' does not exist");
  });
});
