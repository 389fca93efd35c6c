// Test helpers shared with other projects' tests (tools/e2e): real process-tree inspection and
// fixture scripts. Not part of the built package.
export * from './processes.js';
