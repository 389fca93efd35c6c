const preset = require('../../jest.preset.js');

// mercurius (CommonJS) loads quick-lru with a dynamic import(), which Jest's CommonJS runtime
// cannot run; transforming mercurius with SWC turns that import() into require().
module.exports = {
  ...preset,
  displayName: require('./package.json').name,
  transformIgnorePatterns: preset.transformIgnorePatterns.map((p) =>
    p.includes('(?!(') ? p.replace('(?!(', '(?!(mercurius|') : '/node_modules/(?!(mercurius)/)',
  ),
};
