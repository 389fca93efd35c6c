import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import type { HealthStatus } from './health-state.js';

export interface AgentAddress {
  /** Bind host; '' = all interfaces. */
  host: string;
  port: number;
}

/** `http://HOST:PORT` (port required; empty host = all interfaces), Prefect's `--agent-address`. */
export function parseAgentAddress(address: string): AgentAddress {
  let url: URL;
  try {
    url = new URL(address.replace(/^(https?:\/\/):/, '$1placeholder.invalid:'));
  } catch {
    throw new UsageError(`Invalid agent address: ${address}`, { code: 'INVALID_AGENT_ADDRESS', suggestions: ['use the form http://HOST:PORT, e.g. http://0.0.0.0:8080 or http://:8080'] });
  }
  if (!url.port) {
    throw new UsageError(`Must specify port in agent address: ${address}`, { code: 'AGENT_ADDRESS_NO_PORT', suggestions: ['use the form http://HOST:PORT, e.g. http://0.0.0.0:8080'] });
  }
  const host = url.hostname === 'placeholder.invalid' ? '' : url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(url.port) };
}

export interface HealthServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves GET `/api/health` (200 `{}` or 503 `{"reason": ...}`) and `/api/poke`; nothing else. */
export async function startHealthServer(address: AgentAddress, status: () => HealthStatus, poke: () => void): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET' }).end();
    } else if (path === '/api/health') {
      const s = status();
      res.writeHead(s.healthy ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify(s.healthy ? {} : { reason: s.reason }));
    } else if (path === '/api/poke') {
      poke();
      res.writeHead(200).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host || undefined, () => resolve());
  });
  server.unref();
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${host}:${bound.port}`,
    port: bound.port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
