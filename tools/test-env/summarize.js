// Adds up test-results/*.json (written by tools/jest/results-reporter.js), prints one line per
// project to stderr and "PASSED FAILED" to stdout for .ci/run.
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, '..', '..', 'test-results');
let passed = 0;
let failed = 0;
for (const file of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
  const r = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  passed += r.passed;
  failed += r.failed;
  const broken = r.failedSuites.length ? ` (could not run: ${r.failedSuites.join(', ')})` : '';
  process.stderr.write(`${r.project}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${broken}\n`);
}
process.stdout.write(`${passed} ${failed}\n`);
