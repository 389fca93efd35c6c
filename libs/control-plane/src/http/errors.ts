import type { GraphQLError } from 'graphql';
import { ControlPlaneError } from '../errors.js';

export interface WireError {
  message: string;
  locations?: readonly { line: number; column: number }[];
  path?: readonly (string | number)[];
  extensions: { code: string };
}

/** Finds the ControlPlaneError under graphql-js wrapping, if any. */
function rootCause(err: unknown): unknown {
  let e = err as { originalError?: unknown } | undefined;
  for (let i = 0; i < 5 && e && e.originalError; i++) e = e.originalError as typeof e;
  return e;
}

/**
 * One GraphQL error in wire shape. `validation` errors (parse, unknown field, bad variable)
 * are BAD_USER_INPUT unless a ControlPlaneError underneath says otherwise.
 */
export function toWireError(err: GraphQLError | Error, validation: boolean, log?: (e: unknown) => void): WireError {
  const cause = rootCause(err);
  const g = err as Partial<GraphQLError>;
  let code: string;
  let message = err.message;
  if (cause instanceof ControlPlaneError) {
    code = cause.code;
    if (!validation) message = cause.message;
  } else if (validation) code = 'BAD_USER_INPUT';
  else {
    code = 'INTERNAL_SERVER_ERROR';
    log?.(cause);
  }
  const out: WireError = { message, extensions: { code } };
  if (g.locations) out.locations = g.locations;
  if (g.path) out.path = g.path;
  return out;
}

export const errorBody = (message: string, code: string): { data: null; errors: WireError[] } => ({
  data: null,
  errors: [{ message, extensions: { code } }],
});
