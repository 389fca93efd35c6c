module.exports = { ...require('../../jest.preset.js'), displayName: '@prefect-ts/chaos', testTimeout: 120000 };
