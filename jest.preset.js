// Shared Jest preset for every project in the workspace.
//
// The workspace compiles to CommonJS; several dependencies (execa >= 9 and its helpers) ship
// only ES modules. Node 20.19+ can require() them at run time, but Jest uses its own module
// loader, so those packages are transformed to CommonJS by SWC here. Which packages need it is
// found once per Jest start by reading node_modules (any package whose package.json says
// "type": "module"), so a new ESM-only dependency needs no change here.
const fs = require('node:fs');
const path = require('node:path');

const root = __dirname;

function esmPackages(dir) {
  const found = [];
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.name.startsWith('@')) {
      for (const sub of esmPackages(full)) found.push(`${entry.name}/${sub}`);
      continue;
    }
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(full, 'package.json'), 'utf8'));
      if (pkg.type === 'module') found.push(entry.name);
    } catch {
      /* not a package */
    }
  }
  return found;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const esm = [...new Set(esmPackages(path.join(root, 'node_modules')))];

const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/?(*.)+(test).ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json', 'node'],
  transform: { '^.+\\.(ts|js|mjs|cjs)$': swc },
  transformIgnorePatterns: esm.length
    ? [`/node_modules/(?!(${esm.map(escape).join('|')})/)`]
    : ['/node_modules/'],
  moduleNameMapper: {
    '^@prefect-ts/(agent-core|install-templates|control-plane)$': path.join(root, 'libs/$1/src/index.ts'),
  },
  clearMocks: true,
};
