// The test suite needs two programs that npm cannot provide: a real redis-server (the Redis store is
// tested against the real server) and Chromium (the dashboard is tested in a real browser). On a
// Debian machine where we are root they are installed with apt-get; elsewhere the tests that need
// them fail with a message saying what to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const wanted = [
  { pkg: 'redis-server', present: () => spawnSync('redis-server', ['--version']).status === 0 },
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
];

export function ensureSystemDeps() {
  const missing = wanted.filter((w) => !w.present()).map((w) => w.pkg);
  if (missing.length === 0) return;
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canApt) {
    console.error(`Missing system packages: ${missing.join(', ')}. Install them (Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')}); the tests that need them will fail until then.`);
    return;
  }
  console.log(`Installing system packages the tests need: ${missing.join(', ')} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
  if (!install || install.status !== 0) console.error(`apt-get could not install ${missing.join(', ')}; the tests that need them will fail.`);
}
