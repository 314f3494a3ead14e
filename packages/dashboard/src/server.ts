import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readLockOwner, type SharedDocument, type StoreEvent } from '@rail/atomic-file';
import { isTrainData, type TrainData } from '@rail/schema';
import { loadBuiltinLine } from '@rail/track';
import { DashboardError, messageOf } from './errors.js';
import { HealthTracker } from './health.js';
import { DecimatingSeries, type SeriesPoint } from './history.js';
import { toLineView, type DashboardLine } from './line-view.js';
import { applyOperatorPatch, parseOperatorPatch } from './operator-control.js';
import type { HealthView, HelloMessage, LineView, LockOwnerView, OperatorRefusal, RevisionMessage } from './protocol.js';
import { SseHub } from './sse-hub.js';
import { resolveUiDir, serveStatic } from './static-files.js';
import { trainPoint } from './train-point.js';

export interface DashboardOptions {
  /** The shared document to show and to write operator controls into (the caller keeps owning it: `close()` does not close it). */
  doc: SharedDocument<TrainData>;
  /** Parsed lines by name. Lines not given are loaded with @rail/track's `loadBuiltinLine` (Green, Blue). */
  layouts?: Map<string, DashboardLine>;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Default 127.0.0.1: the controls write to the document, so the page is not offered to the network. */
  host?: string;
  /** Points kept per train for late joiners before older ones are decimated. Default 4000. */
  historyPoints?: number;
  /** "No new revision since …" after this long without one, ms. Default 3000. */
  staleAfterMs?: number;
  /** How often the health panel is refreshed (and the lock holder read), ms. Default 1000. */
  healthIntervalMs?: number;
  /**
   * Who holds the store's lock. Default: `readLockOwner(doc.location)` when the location is a file
   * path, nothing for URLs (e.g. Redis), where the panel shows "n/a".
   */
  lockOwner?: () => LockOwnerView | null | Promise<LockOwnerView | null>;
  /** Directory of the built page; default: found next to this module. */
  uiDir?: string;
}

export interface DashboardHandle {
  /** e.g. http://127.0.0.1:41234/ */
  readonly url: string;
  readonly port: number;
  /** Stops the server, its timers and its subscriptions (not the document). */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

function isFilePath(location: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(location);
}

function defaultLockOwner(location: string): DashboardOptions['lockOwner'] {
  if (!isFilePath(location)) return undefined;
  return () => {
    const owner = readLockOwner(location);
    return owner === null ? null : { pid: owner.pid, host: owner.host, label: owner.label ?? null, acquiredAt: owner.acquiredAt };
  };
}

/** The first DashboardError in an error's cause chain (the store wraps what an updater throws). */
function dashboardCause(error: unknown): DashboardError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (DashboardError.isInstance(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, what: string): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new DashboardError('BAD_REQUEST', `${what}: the body is over ${MAX_BODY_BYTES} bytes; send only the operator fields.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DashboardError('BAD_REQUEST', `${what}: the body is not JSON (${messageOf(error)}); send e.g. {"kp": 2000}.`, { cause: error });
  }
}

/**
 * Serves the live dashboard of a shared train document: the built page, a Server-Sent Events stream
 * of committed revisions (history first), `GET /api/state`, and `POST /api/trains/:id/operator`.
 */
export async function startDashboard(options: DashboardOptions): Promise<DashboardHandle> {
  const { doc } = options;
  const host = options.host ?? '127.0.0.1';
  const historyPoints = options.historyPoints ?? 4000;
  const healthIntervalMs = options.healthIntervalMs ?? 1000;
  const uiDir = resolveUiDir(options.uiDir);
  const startedAt = new Date().toISOString();
  const lockOwner = options.lockOwner ?? defaultLockOwner(doc.location);

  const health = new HealthTracker(doc.location, options.staleAfterMs ?? 3000, () => doc.stats());
  const hub = new SseHub();
  const series = new Map<string, DecimatingSeries>();
  const lines = new Map<string, LineView>();
  const lineAttempted = new Set<string>();
  let last: { revision: number; value: TrainData } | null = null;
  let closed = false;

  const resolveLine = (line: string): void => {
    if (lineAttempted.has(line)) return;
    lineAttempted.add(line);
    const given = options.layouts?.get(line);
    try {
      const source: DashboardLine = given ?? loadBuiltinLine(line as 'Green' | 'Blue');
      lines.set(line, toLineView(line, source));
    } catch (error) {
      health.lineProblems = [
        ...health.lineProblems,
        { line, message: `No layout for line "${line}": ${messageOf(error)}. Pass it in the dashboard's layouts option.` },
      ];
    }
  };
  for (const [line, source] of options.layouts ?? []) {
    lineAttempted.add(line);
    lines.set(line, toLineView(line, source));
  }

  const linesObject = (): Record<string, LineView> => Object.fromEntries(lines);
  const healthView = (): HealthView => health.view(Date.now(), hub.size);

  const onSnapshot = (snapshot: { revision: number; value: TrainData }): void => {
    if (closed) return;
    const now = Date.now();
    // The store validates too; checking here keeps the last good view even with a lenient store.
    const issues = isTrainData.issues(snapshot.value);
    if (issues.length > 0) {
      health.setDocError(
        {
          source: 'validation',
          message: `Revision ${snapshot.revision} of ${doc.location} is not a valid train document; showing revision ${last?.revision ?? 'none'}.`,
          issues: issues.map((i) => ({ path: i.path, message: i.message })),
        },
        now,
      );
      hub.broadcast('health', healthView());
      return;
    }
    const value = snapshot.value;
    health.revisionArrived(snapshot.revision, value.updatedAt, now);
    last = { revision: snapshot.revision, value };
    const linesBefore = lines.size;
    const points: Record<string, SeriesPoint> = {};
    for (const [id, train] of Object.entries(value.trains)) {
      resolveLine(train.line);
      const point = trainPoint(value, id, lines.get(train.line));
      if (!point) continue;
      let s = series.get(id);
      if (!s) {
        s = new DecimatingSeries(historyPoints);
        series.set(id, s);
      }
      s.push(point);
      points[id] = point;
    }
    if (lines.size !== linesBefore) hub.broadcast('lines', linesObject());
    const message: RevisionMessage = { revision: snapshot.revision, value, points };
    hub.broadcast('revision', message, snapshot.revision);
  };

  const unwatch = doc.watch(onSnapshot, {
    immediate: true,
    onError: (error) => {
      if (closed) return;
      health.setDocError({ source: 'watch', message: `Watching ${doc.location} failed: ${error.message}`, issues: [] }, Date.now());
      hub.broadcast('health', healthView());
    },
  });
  const unsubscribe = doc.onEvent((event: StoreEvent) => {
    if (closed) return;
    health.storeEvent(event, Date.now());
    if (event.type !== 'commit') hub.broadcast('health', healthView());
  });

  const refreshLockOwner = async (): Promise<void> => {
    if (!lockOwner) {
      health.lockOwnerStatus = 'n/a';
      return;
    }
    try {
      const owner = await lockOwner();
      health.lockOwner = owner;
      health.lockOwnerStatus = owner ? 'held' : 'free';
      health.lockOwnerError = null;
    } catch (error) {
      health.lockOwner = null;
      health.lockOwnerStatus = 'error';
      health.lockOwnerError = `Reading the lock holder of ${doc.location} failed: ${messageOf(error)}`;
    }
  };
  const timer = setInterval(() => {
    void refreshLockOwner().then(() => {
      if (!closed) hub.broadcast('health', healthView());
    });
  }, healthIntervalMs);
  timer.unref();

  const hello = (): HelloMessage => ({
    startedAt,
    location: doc.location,
    historyCapacity: historyPoints,
    lines: linesObject(),
    history: Object.fromEntries([...series].map(([id, s]) => [id, s.toColumns()])),
    snapshot: last,
    health: healthView(),
  });

  const handleOperator = async (req: IncomingMessage, res: ServerResponse, trainId: string): Promise<void> => {
    const what = `POST /api/trains/${trainId}/operator`;
    // A cross-site page can send a text/plain POST without asking; requiring JSON forces a preflight we never grant.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      sendJson(res, 415, { error: `${what}: send Content-Type: application/json.`, code: 'BAD_REQUEST', issues: [] } satisfies OperatorRefusal);
      return;
    }
    try {
      const patch = parseOperatorPatch(await readBody(req, what), trainId);
      // Checked on the latest committed state first, so a refusal never takes the lock and never
      // shows up as a failed update in the store's error count; checked again inside the update
      // because another writer may commit in between.
      applyOperatorPatch(structuredClone((await doc.read()).value), trainId, patch);
      let operator: unknown;
      const commit = await doc.update((draft) => {
        operator = applyOperatorPatch(draft, trainId, patch);
      });
      health.note('control', `train ${trainId}: ${JSON.stringify(patch)} → revision ${commit.revision}`, Date.now());
      sendJson(res, 200, { revision: commit.revision, operator });
    } catch (error) {
      const known = dashboardCause(error);
      const status = known?.code === 'INVALID_CONTROL' ? 422 : known?.code === 'UNKNOWN_TRAIN' ? 404 : known?.code === 'BAD_REQUEST' ? 400 : 503;
      const message = known ? known.message : `${what}: writing to ${doc.location} failed: ${messageOf(error)}. Nothing was written; try again.`;
      health.note('control-refused', message, Date.now());
      const body: OperatorRefusal = { error: message, code: known?.code ?? 'WRITE_FAILED', issues: known?.issues ?? [] };
      sendJson(res, status, body);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const path = url.pathname;
    if (req.method === 'GET' && path === '/api/events') {
      hub.open(res, (send) => send('hello', hello(), last?.revision));
      return;
    }
    if (req.method === 'GET' && path === '/api/state') {
      sendJson(res, 200, { snapshot: last, lines: linesObject(), health: healthView() });
      return;
    }
    const operatorRoute = /^\/api\/trains\/([^/]+)\/operator$/.exec(path);
    if (operatorRoute) {
      if (req.method !== 'POST') {
        sendJson(res, 405, { error: `${req.method} ${path}: use POST with a JSON body of operator fields.` });
        return;
      }
      await handleOperator(req, res, decodeURIComponent(operatorRoute[1] ?? ''));
      return;
    }
    if (req.method === 'GET' && !path.startsWith('/api/')) {
      await serveStatic(res, uiDir, path);
      return;
    }
    sendJson(res, 404, { error: `${req.method} ${path}: no such endpoint (GET /, /api/events, /api/state; POST /api/trains/:id/operator).` });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = `${req.method} ${req.url}: the dashboard failed: ${messageOf(error)}`;
      health.note('server-error', message, Date.now());
      if (!res.headersSent) sendJson(res, 500, { error: message });
      else res.end();
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    closed = true;
    clearInterval(timer);
    unwatch();
    unsubscribe();
    throw new DashboardError(
      'LISTEN_FAILED',
      `Starting the dashboard on ${host}:${options.port ?? 0} failed: ${messageOf(error)}; pick another port (0 picks a free one).`,
      { cause: error },
    );
  }
  void refreshLockOwner();
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      unwatch();
      unsubscribe();
      hub.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
