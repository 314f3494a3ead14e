import { readFile } from 'node:fs/promises';
import { openStore, RedisStoreError, type RedisLocation } from '@rail/redis-store';
import { isTrainData, parseTrainData, type TrainData } from '@rail/schema';
import { readFailureAdvice } from './read-advice.js';
import { authorityLeftM } from './authority.js';
import { RailCliError } from './errors.js';
import { locateStore } from './store-target.js';

/** One train as `rail inspect` shows it. All values SI; null where the owning module has not written yet. */
export interface InspectRow {
  id: string;
  line: string;
  block: number | null;
  speedMps: number | null;
  speedLimitMps: number | null;
  commandedSpeedMps: number | null;
  powerCommandW: number | null;
  authorityLeftM: number | null;
  distanceM: number | null;
  currentStation: string | null;
  nextStation: string | null;
  stationsServed: number | null;
  passengers: number | null;
  controllerStatus: string | null;
  doors: string;
}

export interface InspectResult {
  path: string;
  revision: number;
  updatedAt: string;
  simTimeS: number | null;
  lastWriter: string | null;
  trains: InspectRow[];
}

/** How long `rail inspect` waits for a Redis server before giving up, ms. */
const REDIS_READ_TIMEOUT_MS = 5_000;

/**
 * Reads a store (a file path, `file:` URL or `redis://host:port/key`) and returns one row per train.
 * Throws RailCliError (BAD_URL, NOT_FOUND, READ_FAILED, INVALID_DOCUMENT).
 */
export async function inspect(target: string): Promise<InspectResult> {
  const location = locateStore('inspect', target);
  return location.kind === 'file' ? inspectFile(location.path) : inspectRedis(target, location);
}

async function inspectRedis(url: string, location: RedisLocation): Promise<InspectResult> {
  const where = location.display;
  const store = openStore<TrainData>(url, { validate: isTrainData, redis: { timeoutMs: REDIS_READ_TIMEOUT_MS, label: 'rail inspect' } });
  try {
    const snapshot = await store.read();
    return inspectDocument(snapshot.value, where);
  } catch (error) {
    if (!RedisStoreError.isInstance(error)) throw error;
    if (error.code === 'NOT_FOUND') {
      throw new RailCliError('NOT_FOUND', `rail inspect: ${where} holds no document (key '${location.key}' does not exist in db ${location.db}). Check the key name; a run creates it when its first module opens it.`, { path: where, cause: error });
    }
    if (error.code === 'CORRUPT') {
      throw new RailCliError('INVALID_DOCUMENT', `rail inspect: cannot show ${where}: ${error.message}\nRun \`rail doctor ${where}\` for the server's side.`, { path: where, cause: error });
    }
    throw new RailCliError('READ_FAILED', `rail inspect: ${error.message}`, { path: where, cause: error });
  } finally {
    await store.close();
  }
}

async function inspectFile(file: string): Promise<InspectResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const { why, hint } = readFailureAdvice(file, error);
    throw new RailCliError((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'READ_FAILED', `rail inspect: ${why}. ${hint}`, { path: file, cause: error });
  }
  const parsed = parseTrainData(text, { source: file });
  if (!parsed.ok) {
    throw new RailCliError('INVALID_DOCUMENT', `rail inspect: cannot show ${file}: ${parsed.error.message}\nRun \`rail doctor ${file}\` for the backup and the rest.`, {
      path: file,
      cause: parsed.error,
    });
  }
  return inspectDocument(parsed.value, file);
}

/** The rows of an already parsed document. */
export function inspectDocument(doc: TrainData, path: string): InspectResult {
  const trains = Object.entries(doc.trains)
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([id, t]): InspectRow => ({
      id,
      line: t.line,
      block: t.model?.block ?? t.wayside?.block ?? null,
      speedMps: t.model?.speedMps ?? null,
      speedLimitMps: t.wayside?.speedLimitMps ?? null,
      commandedSpeedMps: t.wayside?.commandedSpeedMps ?? null,
      powerCommandW: t.controller?.powerCommandW ?? null,
      authorityLeftM: authorityLeftM(t),
      distanceM: t.model?.distanceM ?? null,
      currentStation: t.wayside?.currentStation ?? null,
      nextStation: t.wayside?.nextStation ?? null,
      stationsServed: t.model?.stationsServed ?? null,
      passengers: t.model?.passengers ?? null,
      controllerStatus: t.controller?.status ?? null,
      doors: t.model === undefined ? '-' : `${t.model.leftDoorsOpen ? 'L' : ''}${t.model.rightDoorsOpen ? 'R' : ''}` || 'closed',
    }));
  return {
    path,
    revision: doc.revision,
    updatedAt: doc.updatedAt,
    simTimeS: doc.simTimeS ?? null,
    lastWriter: doc.lastWriter ? `${doc.lastWriter.module} (pid ${doc.lastWriter.pid})` : null,
    trains,
  };
}

const dash = '-';
const fixed = (v: number | null, digits: number, scale = 1): string => (v === null ? dash : (v * scale).toFixed(digits));

/** A readable table; speeds in km/h and power in kW for people, the JSON output stays SI. */
export function formatInspect(result: InspectResult): string {
  const header = ['train', 'line', 'block', 'km/h', 'limit', 'cmd', 'power kW', 'auth m', 'dist m', 'station', 'next', 'served', 'pax', 'doors', 'status'];
  const rows = result.trains.map((r) => [
    r.id,
    r.line,
    r.block === null ? dash : String(r.block),
    fixed(r.speedMps, 1, 3.6),
    fixed(r.speedLimitMps, 0, 3.6),
    fixed(r.commandedSpeedMps, 0, 3.6),
    fixed(r.powerCommandW, 1, 0.001),
    fixed(r.authorityLeftM, 0),
    fixed(r.distanceM, 0),
    r.currentStation ?? dash,
    r.nextStation ?? dash,
    r.stationsServed === null ? dash : String(r.stationsServed),
    r.passengers === null ? dash : String(r.passengers),
    r.doors,
    r.controllerStatus ?? dash,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 || i >= 9 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const title = `${result.path}: revision ${result.revision}, sim time ${result.simTimeS === null ? dash : `${result.simTimeS.toFixed(1)} s`}, updated ${result.updatedAt}${result.lastWriter ? ` by ${result.lastWriter}` : ''}`;
  if (rows.length === 0) return `${title}\n(no trains)`;
  return [title, '', line(header), ...rows.map(line)].join('\n');
}
