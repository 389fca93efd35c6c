import { JSONScalar, TimestampScalar, UUIDScalar } from '../schema/scalars.js';
import { agentMutations } from './agents.js';
import { tenantFor, type RequestContext } from './context.js';
import { runMutations } from './runs.js';
import { tableResolvers } from './tables.js';

export const FEATURES = ['claim_flow_runs', 'agent_heartbeat', 'report_flow_runs'];

/** All resolvers, keyed by GraphQL type. */
export function buildResolvers(): Record<string, Record<string, unknown>> {
  const tables = tableResolvers();
  return {
    UUID: UUIDScalar as never,
    timestamptz: TimestampScalar as never,
    JSON: JSONScalar as never,
    Query: {
      ...tables.Query,
      hello: () => '👋',
      auth_info: async (_: unknown, __: unknown, ctx: RequestContext) => ({ tenant_id: await tenantFor(ctx) }),
      server_info: (_: unknown, __: unknown, ctx: RequestContext) => ({ version: ctx.rt.version, features: ctx.rt.extensions ? FEATURES : [] }),
    },
    Mutation: { ...agentMutations, ...runMutations },
    ...tables.types,
  };
}
