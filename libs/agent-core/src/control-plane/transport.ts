import http from 'node:http';
import type * as Https from 'node:https';
import { ControlPlaneError } from '../errors.js';

export const CORE_VERSION = '1.4.1';

export interface TransportOptions {
  api: string;
  key?: string;
  tenantId?: string;
  /** Default per-request timeout (Prefect: 15 s). */
  timeoutMs?: number;
}

/** One entry of a GraphQL answer's `errors`. */
export interface GraphQLFieldError {
  message?: string;
  path?: readonly (string | number)[];
  extensions?: { code?: unknown };
}

export interface RequestOptions {
  /** Overrides the default timeout (long polls need longer). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * The one place that talks HTTP to the control plane: Prefect's headers, timeouts, and error
 * mapping to ControlPlaneError (with the GraphQL code when there is one). Plain node:http with a
 * keep-alive agent: a GraphQL POST needs nothing more, and a small agent forks its children faster.
 */
export class GraphQLTransport {
  readonly api: string;
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private httpAgent?: http.Agent;
  /** node:https (and tls) load only for an https:// API. */
  private https?: typeof Https;

  constructor(options: TransportOptions) {
    this.api = options.api;
    this.url = new URL(options.api);
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.headers = { 'X-PREFECT-CORE-VERSION': CORE_VERSION };
    if (options.key) this.headers.Authorization = `Bearer ${options.key}`;
    if (options.tenantId) this.headers['X-PREFECT-TENANT-ID'] = options.tenantId;
  }

  /** Attach `X-PREFECT-AGENT-ID` to every later request. */
  setAgentId(id: string): void {
    this.headers['X-PREFECT-AGENT-ID'] = id;
  }

  setTenantId(id: string): void {
    this.headers['X-PREFECT-TENANT-ID'] = id;
  }

  /** One GraphQL request; any error in the answer throws (a ControlPlaneError). */
  async request<T>(document: string, variables?: Record<string, unknown>, options: RequestOptions = {}): Promise<T> {
    const { data, errors } = await this.requestPartial<T>(document, variables, options);
    if (errors[0]) throw this.toError(errors[0], 200, errors);
    return data;
  }

  /**
   * One GraphQL request whose fields may fail one by one (a document of several mutations):
   * resolves with the data and the field errors (each with its `path`). Throws when nothing
   * came back: unreachable, a non-2xx status, or an answer without data.
   */
  async requestPartial<T>(document: string, variables?: Record<string, unknown>, options: RequestOptions = {}): Promise<{ data: T; errors: GraphQLFieldError[] }> {
    let reply: { status: number; body: string };
    try {
      if (this.url.protocol === 'https:') this.https ??= await import('node:https');
      reply = await this.post(JSON.stringify({ query: document, variables }), options.timeoutMs ?? this.timeoutMs, options.signal);
    } catch (error) {
      throw this.unreachable(error);
    }
    let parsed: { data?: T | null; errors?: GraphQLFieldError[] } | undefined;
    try {
      parsed = JSON.parse(reply.body);
    } catch {
      parsed = undefined;
    }
    const ok = reply.status >= 200 && reply.status < 300;
    const errors = parsed?.errors ?? [];
    if (ok && parsed && parsed.data != null) return { data: parsed.data, errors };
    if (errors[0]) throw this.toError(errors[0], reply.status);
    throw this.toError({ message: `HTTP ${reply.status}${parsed ? '' : `: ${reply.body.slice(0, 200)}`}` }, reply.status, parsed?.errors);
  }

  /** A GraphQL error (or a bare HTTP failure) as a ControlPlaneError with its code. */
  toError(error: GraphQLFieldError, status = 200, all: unknown = [error]): ControlPlaneError {
    const code = (error.extensions?.code as string | undefined) ?? `HTTP_${status}`;
    const message = error.message ?? `HTTP ${status}`;
    const unauthorized = code === 'UNAUTHENTICATED' || status === 401;
    return new ControlPlaneError(unauthorized ? `The API at ${this.api} rejected the credentials: ${message}` : message, {
      code: unauthorized ? 'UNAUTHENTICATED' : 'API_ERROR',
      graphqlCode: code,
      cause: { status, errors: all },
      suggestions: unauthorized
        ? ['pass a valid API key with --key or PREFECT__CLOUD__API_KEY', 'create one with `prefect server create-api-key`']
        : [],
    });
  }

  /**
   * One POST with a deadline (a plain timer: AbortSignal.timeout costs a signal, a weak ref and
   * a timer per request, measurable on the agent's launch path) and an optional caller's signal.
   */
  private post(body: string, timeoutMs: number, signal?: AbortSignal): Promise<{ status: number; body: string }> {
    const secure = this.url.protocol === 'https:';
    const https = this.https as typeof Https;
    this.httpAgent ??= secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const req = (secure ? https : http).request(
        this.url,
        {
          method: 'POST',
          agent: this.httpAgent,
          headers: { ...this.headers, 'content-type': 'application/json', accept: 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            settle();
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', fail);
        },
      );
      const timer = setTimeout(() => req.destroy(new RequestTimeout(timeoutMs)), timeoutMs);
      const onAbort = () => req.destroy(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      function settle() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
      function fail(error: unknown) {
        settle();
        reject(error);
      }
      req.on('error', fail);
      req.end(body);
    });
  }

  private unreachable(error: unknown): ControlPlaneError {
    const reason = error instanceof RequestTimeout ? 'the request timed out' : (errnoCode(error) ?? (error as Error).message ?? String(error));
    return new ControlPlaneError(`Cannot reach the Prefect API at ${this.api}: ${reason}`, {
      code: 'API_UNREACHABLE',
      cause: error,
      suggestions: [`start a server with \`prefect server start\`, or point --api / PREFECT__CLOUD__API at a running one`],
    });
  }
}

/** A request that passed its deadline. */
class RequestTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'RequestTimeout';
  }
}

/** The first errno-style code (ECONNREFUSED, ENOTFOUND...) along an error's cause chain. */
function errnoCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth += 1) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}
