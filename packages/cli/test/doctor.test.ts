import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runDoctor, type DoctorReport } from '../src/index.js';
import { cleanupList, deadPid, healthyDocument, killAndWait, tempDir, writeThroughStore } from './helpers.js';

const THIS_HOST_HASH = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

const LEGACY = fileURLToPath(new URL('./fixtures/legacy-imperial-5-trains.json', import.meta.url));
const WRITER = fileURLToPath(new URL('./workers/steady-writer.mjs', import.meta.url));

const check = (report: DoctorReport, name: string) => {
  const found = report.checks.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no check named ${name} in ${report.checks.map((c) => c.name).join(', ')}`);
  return found;
};

const cleanups = cleanupList();
afterEach(() => cleanups.run());
function dir(): string {
  const t = tempDir();
  cleanups.add(t.cleanup);
  return t.dir;
}

describe('rail doctor', () => {
  it('passes every check on a healthy file that a live process keeps writing', async () => {
    const file = join(dir(), 'train_data.json');
    await writeThroughStore(file, healthyDocument());
    const writer = spawn(process.execPath, [WRITER, file, '100', '20000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.add(() => killAndWait(writer));
    await new Promise<void>((resolve, reject) => {
      writer.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      writer.on('exit', (code) => reject(new Error(`the writer exited early with code ${code}`)));
    });

    const report = await runDoctor(file, { watchMs: 1500, expectedPeriodMs: 200 });

    for (const c of report.checks) expect({ name: c.name, status: c.status, evidence: c.evidence }).toMatchObject({ status: 'pass' });
    expect(report.exitCode).toBe(0);
    expect(check(report, 'document').evidence).toContain('schema version 1');
    expect(check(report, 'activity').evidence).toMatch(/^changing: revision \d+ → \d+/);
  });

  it('fails, not crashes, when pointed at a folder instead of the file', async () => {
    const folder = join(dir(), 'train_data.json');
    mkdirSync(folder);
    const report = await runDoctor(folder, { watchMs: 0 });
    expect(check(report, 'document')).toMatchObject({ status: 'fail', evidence: `${folder} is a folder, not a file.` });
    expect(check(report, 'activity').status).toBe('fail');
    expect(report.exitCode).toBe(1);
  });

  it('fails a damaged primary and shows that the backup is valid and will restore it, without touching either', async () => {
    const file = join(dir(), 'train_data.json');
    await writeThroughStore(file, healthyDocument(), 3);
    const torn = '{\n  "schemaVersion": 1,\n  "revision": 3,\n  "upda';
    writeFileSync(file, torn);
    const backupBefore = readFileSync(`${file}.backup`, 'utf8');

    const report = await runDoctor(file, { watchMs: 0 });

    expect(check(report, 'document')).toMatchObject({ status: 'fail' });
    expect(check(report, 'document').evidence).toContain('JSON_SYNTAX');
    const backup = check(report, 'backup');
    expect(backup.status).toBe('pass');
    expect(backup.evidence).toMatch(/valid backup .*revision \d+/);
    expect(backup.evidence).toContain('restores it from this backup');
    expect(report.exitCode).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(torn);
    expect(readFileSync(`${file}.backup`, 'utf8')).toBe(backupBefore);
  });

  it('fails a lock whose owner process is dead and names that pid', async () => {
    const file = join(dir(), 'train_data.json');
    await writeThroughStore(file, healthyDocument());
    const pid = await deadPid();
    mkdirSync(`${file}.lock`);
    writeFileSync(join(`${file}.lock`, 'a1b2c3d4.json'), JSON.stringify({ pid, host: hostname(), acquiredAt: Date.now() - 30_000, label: 'wayside' }));

    const report = await runDoctor(file, { watchMs: 0, expectedPeriodMs: 60_000 });

    const lock = check(report, 'lock');
    expect(lock.status).toBe('fail');
    expect(lock.evidence).toContain(`pid ${pid} (wayside)`);
    expect(lock.evidence).toContain('not running');
    expect(report.exitCode).toBe(1);
  });

  it('warns about temp files left by a writer that died, and nothing else', async () => {
    const folder = dir();
    const file = join(folder, 'train_data.json');
    await writeThroughStore(file, healthyDocument());
    const pid = await deadPid();
    // Temp names carry the writer's pid and the first 8 hex of sha256(hostname): this host's writer.
    const leftover = `.train_data.json.${pid}.${THIS_HOST_HASH}.5f3a9e.tmp`;
    writeFileSync(join(folder, leftover), '{"schemaVersion":1,"revis');

    const report = await runDoctor(file, { watchMs: 0, expectedPeriodMs: 60_000 });

    const temp = check(report, 'temp-files');
    expect(temp.status).toBe('warn');
    expect(temp.evidence).toContain(leftover);
    expect(temp.evidence).toContain(`writer pid ${pid} dead`);
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => c.name)).toEqual(['temp-files']);
    expect(report.exitCode).toBe(2);
  });

  it('cannot probe a temp file of another host, so only its age makes it lingering', async () => {
    const folder = dir();
    const file = join(folder, 'train_data.json');
    await writeThroughStore(file, healthyDocument());
    const young = `.train_data.json.4242.0badc0de.aaaaaa.tmp`;
    writeFileSync(join(folder, young), '{');
    expect(check(await runDoctor(file, { watchMs: 0, expectedPeriodMs: 60_000 }), 'temp-files').status).toBe('pass');

    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(folder, young), anHourAgo, anHourAgo);
    const temp = check(await runDoctor(file, { watchMs: 0, expectedPeriodMs: 60_000 }), 'temp-files');
    expect(temp.status).toBe('warn');
    expect(temp.evidence).toContain('writer pid 4242 on another host');
  });

  it('recognises a real legacy team file, says how to import it, and still finds its trains moving with zero power', async () => {
    const file = join(dir(), 'train_data.json');
    copyFileSync(LEGACY, file);

    const report = await runDoctor(file, { watchMs: 0 });

    const document = check(report, 'document');
    expect(document.status).toBe('fail');
    expect(document.evidence).toMatch(/legacy/i);
    expect(document.hint).toContain(`rail import ${file}`);
    const zeroPower = check(report, 'zero-power-motion');
    expect(zeroPower.status).toBe('warn');
    expect(zeroPower.evidence).toContain('legacy file, read through the importer');
    expect(zeroPower.evidence).toMatch(/train_?1\b.*0 W/i);
    expect(zeroPower.evidence).toMatch(/train_?2\b.*0 W/i);
    expect(zeroPower.evidence).not.toMatch(/train_?3\b/i);
    expect(report.exitCode).toBe(1);
  });

  it('fails power commanded with no authority left', async () => {
    const file = join(dir(), 'train_data.json');
    const doc = healthyDocument();
    const t1 = doc.trains.T1;
    if (t1?.model === undefined) throw new Error('fixture has no T1 model');
    t1.model.authorityRemainingM = 0;
    await writeThroughStore(file, doc);

    const report = await runDoctor(file, { watchMs: 0, expectedPeriodMs: 60_000 });

    const power = check(report, 'power-without-authority');
    expect(power.status).toBe('fail');
    expect(power.evidence).toContain('T1 is commanded 60.0 kW with 0.0 m of authority left');
  });
});
