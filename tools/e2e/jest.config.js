module.exports = { ...require('../../jest.preset.js'), displayName: '@prefect-ts/e2e', testTimeout: 60000 };
