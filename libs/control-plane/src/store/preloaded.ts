import type { Row } from './tables.js';

const PRELOADED = Symbol('preloaded relations');

/**
 * Rows of object relations read together with `row` (the PostgreSQL claim joins each run's flow
 * into its one statement), so that GraphQL's nested field needs no query of its own. Kept under
 * a symbol: never serialised, never mistaken for a column.
 */
export function withPreloaded(row: Row, relations: Record<string, Row>): Row {
  Object.defineProperty(row, PRELOADED, { value: relations, enumerable: false });
  return row;
}

export function preloaded(row: Row, relation: string): Row | undefined {
  return (row as { [PRELOADED]?: Record<string, Row> })[PRELOADED]?.[relation];
}
