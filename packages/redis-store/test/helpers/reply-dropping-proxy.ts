import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of Redis that can lose the reply of the next script call: the server runs
 * the script, and the client sees its connection break instead of the answer (a lost ack).
 */
export interface ReplyDroppingProxy {
  readonly port: number;
  url(key: string): string;
  /** Lose the reply to the next EVAL/EVALSHA, breaking that connection. */
  dropNextScriptReply(): void;
  /** While refusing, new connections are closed at once (the network is "down"). */
  refuseConnections(refuse: boolean): void;
  /**
   * Holds back the next `command` (e.g. 'hget') a client sends, and whatever that connection sends
   * after it, until `release()`. `held` resolves once it is held: the client's earlier commands have
   * been sent (and, for a client that awaits each reply, answered), so a test can act between them
   * and this one, however slow the machine is.
   */
  holdNext(command: string): { held: Promise<void>; release(): void };
  close(): Promise<void>;
}

/** A command held back on one connection: its bytes and the next ones, sent on release. */
interface Hold {
  pattern: RegExp;
  onHeld: () => void;
  released: boolean;
  chunks: Buffer[];
  send: ((chunk: Buffer) => void) | null;
}

export async function startReplyDroppingProxy(redisPort: number): Promise<ReplyDroppingProxy> {
  let armed = false;
  let refusing = false;
  let nextHold: Hold | null = null;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: redisPort });
    sockets.add(client).add(upstream);
    let dropReply = false;
    let held: Hold | null = null;
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (armed && /EVAL/i.test(chunk.toString('latin1'))) {
        armed = false;
        dropReply = true;
      }
      if (held === null && nextHold !== null && nextHold.pattern.test(chunk.toString('latin1'))) {
        held = nextHold;
        nextHold = null;
        held.send = (c) => upstream.write(c);
        held.onHeld();
      }
      if (held !== null && !held.released) {
        held.chunks.push(chunk);
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (dropReply) {
        cut();
        return;
      }
      client.write(chunk);
    });
    client.on('close', cut);
    upstream.on('close', cut);
    client.on('error', cut);
    upstream.on('error', cut);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: (key) => `redis://127.0.0.1:${port}/${encodeURIComponent(key)}`,
    dropNextScriptReply: () => {
      armed = true;
    },
    refuseConnections: (refuse) => {
      refusing = refuse;
    },
    holdNext: (command) => {
      let onHeld!: () => void;
      const held = new Promise<void>((resolve) => (onHeld = resolve));
      const hold: Hold = { pattern: new RegExp(`\\r\\n${command}\\r\\n`, 'i'), onHeld, released: false, chunks: [], send: null };
      nextHold = hold;
      return {
        held,
        release: () => {
          hold.released = true;
          if (nextHold === hold) nextHold = null;
          for (const chunk of hold.chunks.splice(0)) hold.send?.(chunk);
        },
      };
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
