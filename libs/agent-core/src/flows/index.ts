export * from './flow-spec.js';
export * from './validate-flow.js';
export * from './normalise-flow.js';
export * from './load-flows.js';
