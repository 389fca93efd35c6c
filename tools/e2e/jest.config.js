const preset = require('../../jest.preset.js');

// The control plane runs in-process: mercurius loads quick-lru with a dynamic import(), which
// Jest's CommonJS runtime cannot run, so mercurius is transformed too (as libs/control-plane does).
module.exports = {
  ...preset,
  displayName: '@prefect-ts/e2e',
  testTimeout: 60000,
  transformIgnorePatterns: preset.transformIgnorePatterns.map((p) =>
    p.includes('(?!(') ? p.replace('(?!(', '(?!(mercurius|') : '/node_modules/(?!(mercurius)/)',
  ),
};
