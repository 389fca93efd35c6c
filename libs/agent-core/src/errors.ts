import { ExitCode, type ExitCodeValue } from './exit-codes.js';

export interface AgentErrorOptions {
  /** SCREAMING_SNAKE identifier, stable across releases (shown with `--json`). */
  code: string;
  exitCode?: ExitCodeValue;
  /** Concrete next steps, shown under "Try this:". */
  suggestions?: string[];
  /** A documentation reference. */
  ref?: string;
  cause?: unknown;
}

/** Base class of every error this project raises on purpose. */
export class AgentError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly suggestions: string[];
  readonly ref?: string;

  constructor(message: string, options: AgentErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.exitCode = options.exitCode ?? ExitCode.INTERNAL;
    this.suggestions = options.suggestions ?? [];
    this.ref = options.ref;
  }

  toJSON(): { code: string; message: string; exitCode: number; suggestions: string[] } {
    return { code: this.code, message: this.message, exitCode: this.exitCode, suggestions: this.suggestions };
  }
}

type SubclassOptions = Omit<AgentErrorOptions, 'exitCode'>;

/** A bad command-line flag value (exit 2). */
export class UsageError extends AgentError {
  constructor(message: string, options: SubclassOptions) {
    super(message, { ...options, exitCode: ExitCode.USAGE });
  }
}

/** A bad environment variable or config file value (exit 3). */
export class ConfigError extends AgentError {
  constructor(message: string, options: SubclassOptions) {
    super(message, { ...options, exitCode: ExitCode.CONFIG });
  }
}

/** The API could not be reached, refused, or rejected us (exit 4). */
export class ControlPlaneError extends AgentError {
  /** GraphQL `extensions.code` when the server sent one. */
  readonly graphqlCode?: string;
  constructor(message: string, options: SubclassOptions & { graphqlCode?: string }) {
    super(message, { ...options, exitCode: ExitCode.CONTROL_PLANE });
    this.graphqlCode = options.graphqlCode;
  }
}

/** A child process ended badly. */
export class ProcessExitError extends AgentError {
  readonly childExitCode?: number;
  readonly signal?: string;
  constructor(message: string, options: SubclassOptions & { childExitCode?: number; signal?: string }) {
    super(message, { ...options, exitCode: ExitCode.INTERNAL });
    this.childExitCode = options.childExitCode;
    this.signal = options.signal;
  }
}

/** A bug in prefect-ts itself. */
export class InternalError extends AgentError {
  constructor(message: string, options: Partial<SubclassOptions> = {}) {
    super(`${message} (this is a bug in prefect-ts; please report it with the command you ran)`, {
      code: options.code ?? 'INTERNAL',
      ...options,
      exitCode: ExitCode.INTERNAL,
    });
  }
}

/** Normalises anything thrown into an AgentError, keeping the original as `cause`. */
export function toAgentError(error: unknown): AgentError {
  if (error instanceof AgentError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new InternalError(message, { cause: error });
}
