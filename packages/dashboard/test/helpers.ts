import { mkdtempSync, rmSync } from 'node:fs';
import { request, get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJsonFile, type JsonFile } from '@rail/atomic-file';
import { emptyTrainData, FLEXITY2_SPECS, isTrainData, type TrainData } from '@rail/schema';

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rail-dashboard-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A train freshly dispatched on the Green Line: specs only, everything else comes from the modules. */
export function dispatched(): TrainData['trains'][string] {
  return { line: 'Green', specs: { ...FLEXITY2_SPECS } };
}

/** Opens (creating) a real file store holding the given trains. */
export async function openTrainFile(path: string, trainIds: string[], label = 'test'): Promise<JsonFile<TrainData>> {
  const doc = openJsonFile<TrainData>(path, {
    validate: isTrainData,
    create: () => emptyTrainData(),
    durability: 'relaxed',
    lock: { label },
    watchPollMs: 200,
  });
  await doc.update((d) => {
    for (const id of trainIds) d.trains[id] ??= dispatched();
  });
  return doc;
}

export interface SseEvent {
  event: string;
  id: string | null;
  data: unknown;
}

/** A minimal Server-Sent Events client: collects every event so tests can wait for one. */
export class SseClient {
  readonly events: SseEvent[] = [];
  private buffer = '';
  private response: IncomingMessage | null = null;
  private waiters: (() => void)[] = [];

  static async open(url: string): Promise<SseClient> {
    const client = new SseClient();
    await new Promise<void>((resolve, reject) => {
      const req = get(url, (res) => {
        client.response = res;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => client.feed(chunk));
        resolve();
      });
      req.on('error', reject);
    });
    return client;
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      let id: string | null = null;
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) this.events.push({ event, id, data: JSON.parse(data.join('\n')) as unknown });
    }
    for (const w of this.waiters.splice(0)) w();
  }

  of(event: string): SseEvent[] {
    return this.events.filter((e) => e.event === event);
  }

  /** Waits until an event matching `predicate` has arrived; fails with what did arrive. */
  async waitFor(event: string, predicate: (data: any) => boolean, timeoutMs = 15_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.event === event && predicate(e.data));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`No "${event}" event matching within ${timeoutMs} ms; got: ${this.events.map((e) => e.event).join(', ')}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.response?.destroy();
  }
}

export interface JsonResponse {
  status: number;
  body: any;
}

export function postJson(url: string, body: unknown, contentType = 'application/json'): Promise<JsonResponse> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(text) } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as unknown }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

export async function getJson(url: string): Promise<JsonResponse> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as unknown };
}

export async function waitUntil<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
