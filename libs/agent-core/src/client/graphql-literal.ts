/** A GraphQL enum value (`desc`), rendered bare. */
export class GqlEnum {
  constructor(readonly value: string) {}
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * Renders a JS value as a GraphQL input literal (`{name: {_eq: "x"}}`). Query arguments are
 * inlined the way Prefect's Python client renders them; typed `$where: <table>_bool_exp`
 * variables are avoided (they are expensive for a JIT-compiling server).
 */
export function gqlLiteral(value: unknown): string {
  if (value instanceof GqlEnum) {
    if (!NAME.test(value.value)) throw new Error(`not a GraphQL enum value: ${value.value}`);
    return value.value;
  }
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(gqlLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${fields
      .map(([k, v]) => {
        if (!NAME.test(k)) throw new Error(`not a GraphQL field name: ${k}`);
        return `${k}: ${gqlLiteral(v)}`;
      })
      .join(', ')}}`;
  }
  throw new Error(`cannot render ${typeof value} as GraphQL`);
}

/** `table(where: ..., order_by: ..., limit: ...) { fields }` as a query document. */
export function listQuery(table: string, fields: string, args: { where?: object; orderBy?: Record<string, 'asc' | 'desc'>[]; limit?: number }): string {
  const parts = [`where: ${gqlLiteral(args.where ?? {})}`];
  if (args.orderBy?.length) {
    const orderBy = args.orderBy.map((o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, new GqlEnum(v)])));
    parts.push(`order_by: ${gqlLiteral(orderBy)}`);
  }
  if (args.limit !== undefined) parts.push(`limit: ${gqlLiteral(args.limit)}`);
  return `query { ${table}(${parts.join(', ')}) { ${fields} } }`;
}
