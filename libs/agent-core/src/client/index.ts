export * from './client.js';
export * from './types.js';
export * from './states.js';
export * from './run-input.js';
export { watchFlowRun } from './watch.js';
export * from './execute-flow-run.js';
