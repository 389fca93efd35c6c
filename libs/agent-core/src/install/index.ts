export * from './agent-node-flags.js';
export * from './build-service-spec.js';
export * from './install-service.js';
export * from './check-installed.js';
export * from './activation.js';
