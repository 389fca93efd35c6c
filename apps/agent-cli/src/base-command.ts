import { Command } from '@oclif/core';
import { AgentError, ExitCode, toAgentError } from '@prefect-ts/agent-core/core';

/** How oclif prints an AgentError: exit code, code, "Try this:" suggestions, reference. */
export function agentErrorOptions(agentError: AgentError): { exit: number; code: string; suggestions?: string[]; ref?: string } {
  return {
    exit: agentError.exitCode,
    code: agentError.code,
    suggestions: agentError.suggestions.length ? agentError.suggestions : undefined,
    ref: agentError.ref,
  };
}

/**
 * Every `prefect` command extends this: `--json` comes for free, and any AgentError becomes a
 * one-line message, a "Try this:" list and the error's exit code (JSON shape with `--json`).
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  protected override async catch(error: Error & { code?: string; oclif?: { exit?: number } }): Promise<unknown> {
    // A deliberate `this.exit(n)` passes straight through (no error output, not even with --json).
    if (error.code === 'EEXIT') throw error;
    // oclif's own exits and parse errors keep their behaviour (parse errors exit 2).
    if (error.oclif?.exit !== undefined && !(error instanceof AgentError)) return super.catch(error);
    const agentError = toAgentError(error);
    if (this.jsonEnabled()) {
      this.logJson({ error: agentError.toJSON() });
      return this.exit(agentError.exitCode);
    }
    return this.error(agentError.message, agentErrorOptions(agentError));
  }

  /**
   * Ends with `code` after printing `result` as JSON with `--json` (e.g. `agent status` with no
   * healthy agent still prints its result).
   */
  protected exitWith(code: number, result?: unknown): never {
    if (result !== undefined && this.jsonEnabled()) this.logJson(result);
    return this.exit(code);
  }
}

export { ExitCode };
