import { LocalAgent, resolveConfig, type AgentStartFlags, type LocalAgentResult } from '@prefect-ts/agent-core/agent';
import { reportFatal } from './report-fatal.js';
import { parseStartArgv } from './flags/start-argv.js';

// `prefect agent local start` runs for days, so what it loads at start-up it keeps: oclif (its
// config, manifest, parser, help and ux modules) is about 8 MB of the idle agent's RSS. bin/run.js
// therefore tries `fastAgentLocalStart` first. This module does not import oclif: a plain command
// line (see flags/start-argv.ts) runs the agent directly; anything else is left to oclif and the
// LocalStart command, which runs the same `runLocalAgent`.

/** Settings from flags > environment > config file > defaults, then the agent until it stops. */
export async function runLocalAgent(flags: AgentStartFlags, log: (line: string) => void): Promise<LocalAgentResult> {
  const { settings } = resolveConfig({ flags });
  const agent = new LocalAgent({ settings, sink: (_level, line) => log(line), flowLogSink: (line) => log(line) });
  const uninstall = agent.installSignalHandlers();
  try {
    return await agent.start();
  } finally {
    uninstall();
  }
}

/**
 * Runs `agent local start <argv>` without oclif when the line is plain; resolves false (having
 * done nothing) when oclif must parse it. Errors are printed by oclif, as BaseCommand prints them
 * (message, "Try this:" list, the error's exit code); oclif is loaded only then.
 */
export async function fastAgentLocalStart(argv: readonly string[]): Promise<boolean> {
  const flags = parseStartArgv(argv);
  if (!flags) return false;
  try {
    // console.log is what oclif's Command.log ends in (ux.stdout).
    await runLocalAgent(flags, (line) => console.log(line));
  } catch (error) {
    await reportFatal(error);
  }
  return true;
}
