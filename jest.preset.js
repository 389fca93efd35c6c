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

// Walks a node_modules tree (scoped packages and nested node_modules included) and yields the
// names of packages whose package.json says "type": "module".
function esmPackages(dir, found = new Set()) {
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || !(entry.isDirectory() || entry.isSymbolicLink())) continue;
    const full = path.join(dir, entry.name);
    if (entry.name.startsWith('@')) {
      for (const sub of fs.readdirSync(full, { withFileTypes: true })) {
        visitPackage(path.join(full, sub.name), `${entry.name}/${sub.name}`, found);
      }
    } else if (!entry.isSymbolicLink()) {
      visitPackage(full, entry.name, found);
    }
  }
  return found;
}

function visitPackage(dir, name, found) {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    if (pkg.type === 'module') found.add(name);
  } catch {
    return;
  }
  esmPackages(path.join(dir, 'node_modules'), found);
}

// The root tree plus each workspace project's own node_modules (npm nests a version there when
// it differs from the hoisted one, e.g. execa 9 beside an older CommonJS execa).
function workspaceTrees() {
  const trees = [path.join(root, 'node_modules')];
  for (const group of ['apps', 'libs', 'tools']) {
    let projects = [];
    try {
      projects = fs.readdirSync(path.join(root, group));
    } catch {
      continue;
    }
    for (const project of projects) trees.push(path.join(root, group, project, 'node_modules'));
  }
  return trees;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
// CommonJS packages that load an ESM-only dependency with a dynamic import(), which Jest's
// CommonJS runtime cannot run: SWC turns that import() into require(). (mercurius → quick-lru)
const DYNAMIC_IMPORTERS = ['mercurius'];
const esm = [...workspaceTrees().reduce((found, tree) => esmPackages(tree, found), new Set(DYNAMIC_IMPORTERS))];

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
  resolver: path.join(root, 'tools/jest/esm-fallback-resolver.js'),
  moduleNameMapper: {
    // Sources import siblings as './x.js' (TypeScript nodenext); Jest finds './x.ts'.
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^@prefect-ts/(agent-core|install-templates|control-plane)$': path.join(root, 'libs/$1/src/index.ts'),
    // Light entry points of agent-core (see libs/agent-core/src/entries).
    '^@prefect-ts/agent-core/(core|agent|install)$': path.join(root, 'libs/agent-core/src/entries/$1.ts'),
    // Test helpers a library shares with other projects' tests (never built).
    '^@prefect-ts/(agent-core|install-templates|control-plane)/testing$': path.join(root, 'libs/$1/src/testing/index.ts'),
  },
  reporters: ['default', path.join(root, 'tools/jest/results-reporter.js')],
  clearMocks: true,
};
