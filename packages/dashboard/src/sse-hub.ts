import type { ServerResponse } from 'node:http';

/** A slow page that cannot keep up with this much unsent data is dropped (it reconnects and gets the history). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** The open Server-Sent Events connections. */
export class SseHub {
  private readonly clients = new Set<ServerResponse>();

  get size(): number {
    return this.clients.size;
  }

  open(res: ServerResponse, first: (send: (event: string, data: unknown, id?: number) => void) => void): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
    });
    // The browser reconnects by itself after this long when the server restarts.
    res.write('retry: 1000\n\n');
    first((event, data, id) => SseHub.write(res, event, data, id));
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  broadcast(event: string, data: unknown, id?: number): void {
    const frame = SseHub.frame(event, data, id);
    for (const res of this.clients) {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        this.clients.delete(res);
        res.end();
        continue;
      }
      res.write(frame);
    }
  }

  closeAll(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private static write(res: ServerResponse, event: string, data: unknown, id?: number): void {
    res.write(SseHub.frame(event, data, id));
  }

  private static frame(event: string, data: unknown, id?: number): string {
    return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  }
}
