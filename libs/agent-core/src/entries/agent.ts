// `@prefect-ts/agent-core/agent`: the local agent and what `agent local start` needs, without
// the flow client, status and install modules (a smaller long-running process).
export * from './core.js';
export { LocalAgent, type LocalAgentResult } from '../agent/local-agent.js';
export type { LocalAgentOptions } from '../agent/agent-settings.js';
