// Jest resolver used by jest.preset.js. Resolves as Jest normally does (CommonJS conditions);
// only when that fails (a package whose "exports" offer nothing but an "import" condition, as
// many ESM-only packages do) it retries with the "import" condition. The file found is then
// compiled to CommonJS by the preset's SWC transform.
module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (error) {
    const conditions = options.conditions ?? ['require', 'default', 'node'];
    if (conditions.includes('import')) throw error;
    return options.defaultResolver(request, { ...options, conditions: [...conditions, 'import'] });
  }
};
