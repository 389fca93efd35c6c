import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  readonly url: string;
  /** HTTP requests seen (client → server chunks starting with a method). */
  readonly requests: number;
  /** While on, bytes in both directions are dropped (connections stay open, nothing arrives). */
  blackhole(on: boolean): void;
  close(): Promise<void>;
}

/**
 * A tiny TCP proxy on 127.0.0.1 in front of `target` (host:port). Black-hole mode drops every
 * byte silently, as a partitioned network does: requests hang until their own timeouts.
 */
export async function startProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let dropping = false;
  let requests = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (dropping) return;
      if (/^(POST|GET|PUT|HEAD|OPTIONS|DELETE) /.test(chunk.subarray(0, 8).toString('latin1'))) requests += 1;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!dropping) client.write(chunk);
    });
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    blackhole: (on) => {
      dropping = on;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
