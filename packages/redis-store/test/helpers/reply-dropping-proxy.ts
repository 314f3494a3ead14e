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
  close(): Promise<void>;
}

export async function startReplyDroppingProxy(redisPort: number): Promise<ReplyDroppingProxy> {
  let armed = false;
  let refusing = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: redisPort });
    sockets.add(client).add(upstream);
    let dropReply = false;
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (armed && /EVAL/i.test(chunk.toString('latin1'))) {
        armed = false;
        dropReply = true;
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
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
