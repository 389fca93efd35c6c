export * from './service-spec.js';
export * from './errors.js';
export * from './escape/index.js';
export { render, fileMode, SUPERVISORD_START_RETRIES, type RenderedFile, type RenderResult, type RenderOptions } from './render.js';
export { launchdDict, loadPlist } from './render-launchd.js';
export * from './parse/index.js';
