import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listTempFiles, openJsonFile, readLockOwner, type StoreEvent } from '../src/index.js';
import { deadPid, makeTempDir, removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);

interface Doc {
  n: number;
}

describe('symlinks and permissions', () => {
  it('a symlinked target stays a symlink and the file it points to (in its own directory) is updated', async () => {
    const root = makeTempDir();
    mkdirSync(join(root, 'real'));
    const real = join(root, 'real', 'data.json');
    writeFileSync(real, '{"n":1}');
    const link = join(root, 'link.json');
    symlinkSync(join('real', 'data.json'), link);
    const doc = openJsonFile<Doc>(link);
    expect(doc.path).toBe(real);
    await doc.write({ n: 2 });
    await doc.close();
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(join('real', 'data.json'));
    expect(JSON.parse(readFileSync(real, 'utf8'))).toMatchObject({ n: 2 });
    expect(readdirSync(join(root, 'real')).sort()).toEqual(['data.json', 'data.json.backup']);
  });

  it('keeps the file’s mode (0640 stays 0640 despite the umask)', async () => {
    const file = join(makeTempDir(), 'doc.json');
    writeFileSync(file, '{"n":1}');
    chmodSync(file, 0o640);
    await openJsonFile<Doc>(file).write({ n: 2 });
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });
});

describe('housekeeping', () => {
  it('sweeps temp files and lock staging directories of dead processes on this host, and nothing else', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    writeFileSync(file, '{"n":1}');
    const dead = await deadPid();
    const { HOST_HASH } = await import('../src/host.js');
    const deadTemp = join(dir, `.doc.json.${dead}.${HOST_HASH}.aaaaaaaaaaaa.tmp`);
    const deadStaging = join(dir, `doc.json.lock.${dead}.${HOST_HASH}.bbbbbbbbbbbbbbbb.tmpdir`);
    const liveTemp = join(dir, `.doc.json.${process.pid}.${HOST_HASH}.cccccccccccc.tmp`);
    const remoteTemp = join(dir, `.doc.json.${dead}.0badc0de.dddddddddddd.tmp`);
    writeFileSync(deadTemp, '{"half');
    mkdirSync(deadStaging);
    writeFileSync(join(deadStaging, 'bbbbbbbbbbbbbbbb.json'), JSON.stringify({ pid: dead, host: hostname() }));
    writeFileSync(liveTemp, '');
    writeFileSync(remoteTemp, '');
    expect(listTempFiles(file).sort()).toEqual([deadTemp, deadStaging, liveTemp, remoteTemp].sort());

    const events: StoreEvent[] = [];
    const doc = openJsonFile<Doc>(file, { onEvent: (e) => events.push(e) });
    await doc.update((d) => {
      d.n += 1;
    });
    await doc.close();
    expect(listTempFiles(file).sort()).toEqual([liveTemp, remoteTemp].sort());
    expect(events.filter((e) => e.type === 'swept').map((e) => e.path).sort()).toEqual([deadTemp, deadStaging].sort());
    expect(readLockOwner(file)).toBeNull();
  });

  it('leaks no file descriptors over 200 open/update/close cycles', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    const fdCount = () => readdirSync('/proc/self/fd').length;
    const cycle = async (i: number) => {
      const doc = openJsonFile<Doc>(file, { create: () => ({ n: 0 }) });
      const stop = doc.watch(() => undefined);
      await doc.update((d) => {
        d.n = i;
      });
      await doc.read();
      stop();
      await doc.close();
    };
    await cycle(0);
    const before = fdCount();
    for (let i = 1; i <= 200; i += 1) await cycle(i);
    expect(fdCount()).toBe(before);
    expect(listTempFiles(file)).toEqual([]);
  });
});
