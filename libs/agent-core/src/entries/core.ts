// `@prefect-ts/agent-core/core`: the light part every command needs (errors, exit codes, the
// option model, config resolution, logging). Loading it does not load the agent, the flow
// client or the installers, so `prefect --help` and the agent start small.
export * from '../errors.js';
export * from '../exit-codes.js';
export * from '../options/agent-options.js';
export * from '../options/to-argv.js';
export * from '../config/defaults.js';
export * from '../config/settings-spec.js';
export * from '../config/resolve-config.js';
export { parseEnvPairs } from '../config/flag-layer.js';
export { configFilePath } from '../config/file-layer.js';
export * from '../logging/logger.js';
