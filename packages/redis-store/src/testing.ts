import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `@rail/redis-store/testing`: starts a real redis-server for a test (its own free port on
 * 127.0.0.1, its own data directory, AOF with appendfsync always by default) and stops it by pid.
 * Published so that teams test their modules against the real server, as this repo does.
 */

/** A real redis-server owned by one test file: its own port, its own data directory. */
export interface RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly pid: number;
  /** `redis://127.0.0.1:<port>/<key>` */
  url(key: string): string;
  /** SIGKILL (no shutdown save, like a crash) and wait for the exit. */
  crash(): Promise<void>;
  /** Start again on the same port and directory (the AOF is replayed). */
  restart(): Promise<void>;
  /** SIGTERM, wait for the exit, remove the directory. */
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  appendfsync?: 'always' | 'everysec';
  /** Addresses to listen on besides 127.0.0.1 (e.g. a veth address of a test network namespace). */
  bind?: string[];
}

function assertRedisInstalled(): void {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'redis-server is not on PATH, so the Redis tests cannot start a real server. Install it (Debian/Ubuntu: `apt-get install -y redis-server`; this repo\'s `pnpm test` does it when run as root) and run the tests again.',
    );
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  assertRedisInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'rail-redis-'));
  let port = 0;
  let child: ChildProcess | null = null;
  let log = '';

  const launch = async (): Promise<void> => {
    log = '';
    const args = [
      '--port', String(port), '--bind', ['127.0.0.1', ...(options.bind ?? [])].join(' '),
      // Protected mode refuses every non-loopback client; the extra addresses are the test's own.
      ...(options.bind?.length ? ['--protected-mode', 'no'] : []),
      '--dir', dir, '--save', '',
      '--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'always', '--daemonize', 'no',
    ];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (chunk) => (log += chunk.toString()));
    proc.stderr?.on('data', (chunk) => (log += chunk.toString()));
    const started = Date.now();
    while (Date.now() - started < 10_000) {
      if (proc.exitCode !== null) throw new Error(`redis-server on port ${port} exited at start:\n${log}`);
      if (await ping(port)) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    proc.kill('SIGKILL');
    throw new Error(`redis-server on port ${port} did not answer PING within 10 s:\n${log}`);
  };

  // Another process may take the free port between the probe and redis-server's bind: try a few.
  let lastError: unknown;
  for (let tries = 0; tries < 5; tries += 1) {
    port = await freePort();
    try {
      await launch();
      lastError = undefined;
      break;
    } catch (error) {
      lastError = error;
    }
  }
  if (lastError) throw lastError;

  const current = () => {
    if (!child) throw new Error('redis-server is not running');
    return child;
  };
  return {
    port,
    dir,
    get pid() {
      return current().pid ?? -1;
    },
    url: (key) => `redis://127.0.0.1:${port}/${encodeURIComponent(key)}`,
    async crash() {
      const proc = current();
      proc.kill('SIGKILL');
      await exited(proc);
    },
    async restart() {
      await launch();
    },
    async stop() {
      if (child && child.exitCode === null && child.signalCode === null) {
        const proc = child;
        proc.kill('SIGTERM');
        await exited(proc);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
