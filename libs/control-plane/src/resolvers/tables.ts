import { preloaded } from '../store/preloaded.js';
import { TABLES, type Row, type TableName } from '../store/tables.js';
import type { BoolExp, OrderBy } from '../where/bool-exp.js';
import { ByIdBatcher } from './by-id-batcher.js';
import type { RequestContext } from './context.js';

interface ListArgs {
  where?: BoolExp | null;
  order_by?: OrderBy[] | null;
  limit?: number | null;
  offset?: number | null;
}

type Resolver = (parent: Row, args: ListArgs & { id?: string }, ctx: RequestContext) => unknown;

/** Query fields for every table plus the resolvers of nested relations. */
export function tableResolvers(): { Query: Record<string, Resolver>; types: Record<string, Record<string, Resolver>> } {
  const Query: Record<string, Resolver> = {};
  const types: Record<string, Record<string, Resolver>> = {};
  for (const table of Object.keys(TABLES) as TableName[]) {
    Query[table] = (_p, args, ctx) =>
      ctx.rt.store.select(table, { where: args.where, orderBy: args.order_by, limit: args.limit, offset: args.offset }, ctx.scope);
    Query[`${table}_by_pk`] = (_p, args, ctx) => ctx.rt.store.getById(table, args.id as string, ctx.scope);
    const fields: Record<string, Resolver> = {};
    for (const [name, rel] of Object.entries(TABLES[table].relations)) {
      fields[name] = (parent, args, ctx) => {
        const key = parent[rel.localKey];
        if (key === null || key === undefined) return rel.kind === 'object' ? null : [];
        const pre = rel.kind === 'object' ? preloaded(parent, name) : undefined;
        if (pre) return pre;
        if (rel.kind === 'object' && rel.remoteKey === 'id') return (ctx.batch ??= new ByIdBatcher(ctx.rt.store, ctx.scope)).load(rel.table, key as string);
        const link: BoolExp = { [rel.remoteKey]: { _eq: key } };
        const where = args.where ? { _and: [link, args.where] } : link;
        return ctx.rt.store.select(rel.table, { where, orderBy: args.order_by, limit: args.limit, offset: args.offset }, ctx.scope);
      };
    }
    types[table] = fields;
  }
  return { Query, types };
}
