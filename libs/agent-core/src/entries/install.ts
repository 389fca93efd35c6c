// `@prefect-ts/agent-core/install`: service-file generation for `agent local install`, without
// the agent, the flow client or the HTTP transport (the command has a 400 ms budget).
export * from './core.js';
export * from '../install/index.js';
