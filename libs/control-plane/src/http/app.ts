import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
import { ControlPlaneError } from '../errors.js';
import { ApiKeyAuthenticator } from '../auth/api-keys.js';
import { buildResolvers } from '../resolvers/index.js';
import type { RequestContext, Runtime } from '../resolvers/context.js';
import { OPERATIONS_SDL } from '../schema/operations-sdl.js';
import { tablesSdl } from '../schema/tables-sdl.js';
import { isUuid } from '../time.js';
import { errorBody, toWireError } from './errors.js';

export interface AppOptions {
  bodyLimit: number;
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

function parseVariables(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let v = raw;
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw);
    } catch {
      throw new ControlPlaneError('BAD_USER_INPUT', '"variables" is a string but not valid JSON');
    }
  }
  if (v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new ControlPlaneError('BAD_USER_INPUT', '"variables" must be an object');
  return v as Record<string, unknown>;
}

/**
 * The fastify app: `POST /` and `POST /graphql` run one mercurius schema (parse/validate cached per
 * query). graphql-jit stays off: compiling a query with a variable of a recursive input type such
 * as `flow_run_bool_exp` took over 20 s, which would let any client stall the server.
 */
export async function buildApp(rt: Runtime, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: options.bodyLimit, logger: false, forceCloseConnections: true });
  const logError = (e: unknown): void => rt.log('error', `Unexpected error: ${(e as Error)?.stack ?? String(e)}`);
  await app.register(mercurius, {
    schema: `${tablesSdl()}\n${OPERATIONS_SDL}`,
    resolvers: buildResolvers() as never,
    routes: false,
    graphiql: false,
    jit: 0,
    cache: 1024,
    errorFormatter: (execution) => ({
      statusCode: 200,
      response: { data: execution.data ?? null, errors: (execution.errors ?? []).map((e) => toWireError(e, false, logError)) as never },
    }),
  });
  const auth = rt.auth === 'api-key' ? new ApiKeyAuthenticator(rt.store) : undefined;

  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) logError(err);
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status < 500 ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR';
    void reply.code(status).send(errorBody(status === 413 ? `Request body is larger than ${options.bodyLimit} bytes` : err.message, code));
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(errorBody(`No route ${req.method} ${req.url}; POST GraphQL to / or /graphql`, 'NOT_FOUND'));
  });

  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const body = req.body as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
    if (!body || typeof body !== 'object' || typeof body.query !== 'string') {
      return reply.code(400).send(errorBody('Body must be JSON with a "query" string', 'BAD_USER_INPUT'));
    }
    let ctx: RequestContext;
    let variables: Record<string, unknown> | undefined;
    const controller = new AbortController();
    reply.raw.on('close', () => controller.abort());
    try {
      variables = parseVariables(body.variables);
      const tenantHeader = header(req, 'x-prefect-tenant-id');
      const agentId = header(req, 'x-prefect-agent-id');
      ctx = {
        rt,
        scope: auth ? { tenantId: await auth.tenantFor(header(req, 'authorization')) } : {},
        tenantHeader: !auth && isUuid(tenantHeader) ? tenantHeader : undefined,
        agentId: isUuid(agentId) ? agentId.toLowerCase() : undefined,
        coreVersion: header(req, 'x-prefect-core-version'),
        signal: controller.signal,
      };
    } catch (err) {
      const e = err as ControlPlaneError;
      return reply.code(e.code === 'UNAUTHENTICATED' ? 200 : 400).send(errorBody(e.message, e.code ?? 'BAD_USER_INPUT'));
    }
    try {
      return await reply.graphql(body.query, ctx as never, variables, typeof body.operationName === 'string' ? body.operationName : undefined);
    } catch (err) {
      const e = err as Error & { errors?: Error[]; code?: string };
      if (e.code === 'MER_ERR_GQL_VALIDATION' && e.errors) {
        return reply.code(400).send({ data: null, errors: e.errors.map((x) => toWireError(x, true)) });
      }
      throw err;
    }
  };
  app.post('/', handler);
  app.post('/graphql', handler);
  app.get('/health', async () => ({ ok: true, store: rt.store.kind }));
  return app;
}
