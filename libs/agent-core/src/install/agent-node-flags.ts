/**
 * Node flags of the long-running agent as `agent local install` runs it (`node <flags> run.js
 * agent local start …`). Node 20 takes V8 heap flags only on its command line, so a service file
 * is where they can go; an agent started by hand runs without them.
 *
 * `--max-semi-space-size=2` caps V8's young generation at 2 MB per semi-space (16 MB by
 * default). The agent allocates little that lives long, so a small young generation costs no
 * measurable CPU, and the agent's peak RSS during a 2,000-run launch goes from 87–89 MB to 68 MB
 * (tools/bench/RESULTS.md); without it, RSS also climbs for the first minutes of a run while V8
 * grows the young generation, which reads as drift in a soak.
 */
export const AGENT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
