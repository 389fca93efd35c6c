import { Command } from '@oclif/core';
import { AgentError, ExitCode, toAgentError } from '@prefect-ts/agent-core';

/**
 * Every `prefect` command extends this: `--json` comes for free, and any AgentError becomes a
 * one-line message, a "Try this:" list and the error's exit code (JSON shape with `--json`).
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    // oclif's own exits and parse errors keep their behaviour (parse errors exit 2).
    if (error.oclif?.exit !== undefined && !(error instanceof AgentError)) return super.catch(error);
    const agentError = toAgentError(error);
    if (this.jsonEnabled()) {
      this.logJson({ error: agentError.toJSON() });
      return this.exit(agentError.exitCode);
    }
    return this.error(agentError.message, {
      exit: agentError.exitCode,
      code: agentError.code,
      suggestions: agentError.suggestions.length ? agentError.suggestions : undefined,
      ref: agentError.ref,
    });
  }

  /** Exit with a code without an error message (e.g. `agent status` with no healthy agent). */
  protected exitWith(code: number): never {
    return this.exit(code);
  }
}

export { ExitCode };
