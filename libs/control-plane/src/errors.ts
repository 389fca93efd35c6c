/** Error codes the control plane puts in GraphQL `extensions.code` (see docs/protocol.md). */
export type ControlPlaneErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'VERSION_LOCKING_ERROR'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL_SERVER_ERROR';

/** An error meant for the caller: its message and code are sent as they are. */
export class ControlPlaneError extends Error {
  readonly code: ControlPlaneErrorCode;
  constructor(code: ControlPlaneErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ControlPlaneError';
    this.code = code;
  }
}

/** Invalid server options (bad bind address, port in use, unreachable database). */
export class ControlPlaneConfigError extends Error {
  readonly code: string;
  readonly suggestions: string[];
  constructor(code: string, message: string, suggestions: string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ControlPlaneConfigError';
    this.code = code;
    this.suggestions = suggestions;
  }
}

export const badInput = (message: string): ControlPlaneError => new ControlPlaneError('BAD_USER_INPUT', message);
export const notFound = (message: string): ControlPlaneError => new ControlPlaneError('NOT_FOUND', message);
