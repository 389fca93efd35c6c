// Jest reporter used by jest.preset.js: writes each project's totals to
// test-results/<project>.json, which .ci/run adds up into its final `N passed, N failed` line.
const fs = require('node:fs');
const path = require('node:path');

class ResultsReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
  }

  onRunComplete(_contexts, results) {
    const name = path.basename(this.globalConfig.rootDir);
    const dir = path.join(__dirname, '..', '..', 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    const failedSuites = results.testResults.filter((r) => r.testExecError).map((r) => r.testFilePath);
    const summary = {
      project: name,
      passed: results.numPassedTests,
      failed: results.numFailedTests + failedSuites.length,
      skipped: results.numPendingTests + results.numTodoTests,
      failedSuites,
      success: results.success,
    };
    fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(summary, null, 2) + '\n');
  }
}

module.exports = ResultsReporter;
