import type { GraphQLClient } from 'graphql-request';
import { ControlPlaneError } from '../errors.js';

export const CORE_VERSION = '1.4.1';

export interface TransportOptions {
  api: string;
  key?: string;
  tenantId?: string;
  /** Default per-request timeout (Prefect: 15 s). */
  timeoutMs?: number;
}

export interface RequestOptions {
  /** Overrides the default timeout (long polls need longer). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * The one place that talks HTTP to the control plane: Prefect's headers, timeouts, and error
 * mapping to ControlPlaneError (with the GraphQL code when there is one).
 */
// graphql-request is loaded with the first request, so building a transport costs nothing.
type GraphQLRequestModule = typeof import('graphql-request');
let graphqlRequest: Promise<GraphQLRequestModule> | undefined;
const loadGraphQLRequest = () => (graphqlRequest ??= import('graphql-request'));

export class GraphQLTransport {
  readonly api: string;
  private client?: GraphQLClient;
  private lib?: GraphQLRequestModule;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(options: TransportOptions) {
    this.api = options.api;
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

  async request<T>(document: string, variables?: Record<string, unknown>, options: RequestOptions = {}): Promise<T> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    if (!this.client || !this.lib) {
      this.lib = await loadGraphQLRequest();
      this.client = new this.lib.GraphQLClient(this.api, { headers: () => this.headers });
    }
    try {
      return await this.client.request<T>({ document, variables, signal });
    } catch (error) {
      throw this.toError(error, timeout.aborted);
    }
  }

  private toError(error: unknown, timedOut: boolean): ControlPlaneError {
    if (this.lib && error instanceof this.lib.ClientError) {
      const first = error.response.errors?.[0];
      const code = (first?.extensions?.code as string | undefined) ?? `HTTP_${error.response.status}`;
      const message = first?.message ?? `HTTP ${error.response.status}`;
      const unauthorized = code === 'UNAUTHENTICATED' || error.response.status === 401;
      return new ControlPlaneError(unauthorized ? `The API at ${this.api} rejected the credentials: ${message}` : message, {
        code: unauthorized ? 'UNAUTHENTICATED' : 'API_ERROR',
        graphqlCode: code,
        cause: error,
        suggestions: unauthorized
          ? ['pass a valid API key with --key or PREFECT__CLOUD__API_KEY', 'create one with `prefect server create-api-key`']
          : [],
      });
    }
    const reason = timedOut ? 'the request timed out' : (errnoCode(error) ?? (error as Error).message ?? String(error));
    return new ControlPlaneError(`Cannot reach the Prefect API at ${this.api}: ${reason}`, {
      code: 'API_UNREACHABLE',
      cause: error,
      suggestions: [`start a server with \`prefect server start\`, or point --api / PREFECT__CLOUD__API at a running one`],
    });
  }
}

/** The first errno-style code (ECONNREFUSED, ENOTFOUND...) along an error's cause chain. */
function errnoCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth += 1) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}
