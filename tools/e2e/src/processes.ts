import path from 'node:path';

// Process-tree helpers and fixture scripts are shared with agent-core's own tests.
export * from '@prefect-ts/agent-core/testing';
export const REPO_ROOT = path.join(__dirname, '..', '..', '..');
