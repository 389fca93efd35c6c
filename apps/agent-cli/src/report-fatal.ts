import { toAgentError } from '@prefect-ts/agent-core/core';

/**
 * Prints an error of a command that ran without oclif (bin/run.js's fast paths) exactly as
 * BaseCommand would: message, "Try this:" list and the error's exit code. oclif is loaded only
 * here, when something went wrong.
 */
export async function reportFatal(error: unknown): Promise<void> {
  const { Errors, handle } = await import('@oclif/core');
  const { agentErrorOptions } = await import('./base-command.js');
  const agentError = toAgentError(error);
  try {
    Errors.error(agentError.message, agentErrorOptions(agentError));
  } catch (cliError) {
    await handle(cliError as Error);
  }
}
