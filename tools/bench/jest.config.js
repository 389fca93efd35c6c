module.exports = { ...require('../../jest.preset.js'), displayName: '@prefect-ts/bench', testTimeout: 120000 };
