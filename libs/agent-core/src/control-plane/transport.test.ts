import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControlPlaneError } from '../errors.js';
import { GraphQLTransport } from './transport.js';

/** A real HTTP server on loopback; `answer` decides per request (or never answers). */
async function server(answer: (body: string, req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ url: string; requests: number; close(): Promise<void> }> {
  const state = { requests: 0 };
  const s = http.createServer((req, res) => {
    state.requests += 1;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => answer(body, req, res));
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/graphql`,
    get requests() {
      return state.requests;
    },
    close: () => {
      s.closeAllConnections();
      return new Promise((r) => s.close(() => r()));
    },
  };
}

describe('GraphQLTransport', () => {
  it('posts the document with Prefect headers and keeps one connection alive', async () => {
    const sockets = new Set<unknown>();
    const srv = await server((body, req, res) => {
      sockets.add(req.socket);
      const { query, variables } = JSON.parse(body);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { echo: { query, variables, agent: req.headers['x-prefect-agent-id'], core: req.headers['x-prefect-core-version'] } } }));
    });
    try {
      const t = new GraphQLTransport({ api: srv.url });
      t.setAgentId('a-1');
      for (let i = 0; i < 3; i += 1) {
        const data = await t.request<{ echo: { query: string; variables: unknown; agent: string; core: string } }>('{ hello }', { i });
        expect(data.echo).toEqual({ query: '{ hello }', variables: { i }, agent: 'a-1', core: '1.4.1' });
      }
      expect(sockets.size).toBe(1);
    } finally {
      await srv.close();
    }
  });

  it('gives up after the timeout with an API_UNREACHABLE error that says so', async () => {
    const srv = await server(() => undefined);
    try {
      const t = new GraphQLTransport({ api: srv.url, timeoutMs: 5000 });
      const started = Date.now();
      const error = await t.request('{ hello }', undefined, { timeoutMs: 150 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ControlPlaneError);
      expect((error as ControlPlaneError).code).toBe('API_UNREACHABLE');
      expect((error as Error).message).toContain('the request timed out');
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      await srv.close();
    }
  });

  it("stops at once when the caller's signal aborts, and rejects a signal that is already aborted", async () => {
    const srv = await server(() => undefined);
    try {
      const t = new GraphQLTransport({ api: srv.url, timeoutMs: 10_000 });
      const ac = new AbortController();
      const pending = t.request('{ hello }', undefined, { signal: ac.signal }).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 50));
      ac.abort();
      const error = await pending;
      expect((error as ControlPlaneError).code).toBe('API_UNREACHABLE');
      expect((error as Error).message).not.toContain('timed out');
      const before = srv.requests;
      await expect(t.request('{ hello }', undefined, { signal: ac.signal })).rejects.toBeInstanceOf(ControlPlaneError);
      expect(srv.requests).toBe(before);
    } finally {
      await srv.close();
    }
  });

  it('maps GraphQL errors and refused connections to ControlPlaneError with their codes', async () => {
    const srv = await server((_body, _req, res) => {
      res.statusCode = 200;
      res.end(JSON.stringify({ errors: [{ message: 'no such agent', extensions: { code: 'NOT_FOUND' } }] }));
    });
    const url = srv.url;
    try {
      const error = await new GraphQLTransport({ api: url }).request('{ hello }').catch((e: unknown) => e);
      expect((error as ControlPlaneError).graphqlCode).toBe('NOT_FOUND');
      expect((error as Error).message).toBe('no such agent');
    } finally {
      await srv.close();
    }
    const refused = await new GraphQLTransport({ api: url }).request('{ hello }').catch((e: unknown) => e);
    expect((refused as Error).message).toContain('ECONNREFUSED');
  });
});
