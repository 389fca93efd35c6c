import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import { UsageError } from '../errors.js';
import { FLOW_FILE_EXTENSIONS, type FlowSpec } from './flow-spec.js';
import { normaliseFlowSpec } from './normalise-flow.js';
import { formatFieldPath, validateFlowSpec, type FieldPath } from './validate-flow.js';

// yaml is loaded on first use: most commands never read a flow spec.
let yamlLib: typeof import('yaml') | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = (): typeof import('yaml') => (yamlLib ??= require('yaml') as typeof import('yaml'));

export interface FlowSpecProblem {
  file: string;
  /** `storage.argv[0]`; absent for syntax errors. */
  field?: string;
  line?: number;
  column?: number;
  message: string;
}

/** `file:line:col: field: message`, like a compiler. */
export function formatProblem(p: FlowSpecProblem): string {
  const where = [p.file, p.line, p.line ? p.column : undefined].filter((x) => x !== undefined).join(':');
  return `${where}: ${p.field ? `${p.field}: ` : ''}${p.message}`;
}

/** One or more flow spec files are invalid; the message lists every problem. */
export class FlowSpecError extends UsageError {
  readonly problems: FlowSpecProblem[];
  constructor(problems: FlowSpecProblem[]) {
    const count = problems.length === 1 ? 'Invalid flow spec' : `${problems.length} problems in flow specs`;
    super(`${count}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`, {
      code: 'FLOW_SPEC_INVALID',
      suggestions: ['a flow spec needs name, storage ({type: Command, argv: [...]} or {type: Module, path: ...}), and optionally run_config and parameters; see examples/'],
    });
    this.problems = problems;
  }
}

export interface LoadedFlow {
  /** The file as the user named it (relative to cwd when possible). */
  file: string;
  /** Normalised spec, ready for `create_flow`. */
  spec: FlowSpec;
}

/** Line and column of the field at `path` (its key when it is a mapping entry), or of its nearest existing ancestor. */
function locate(doc: Document, lines: LineCounter, path: FieldPath): { line: number; column: number } | undefined {
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const { isMap, isNode } = yaml();
  for (let n = path.length; n >= 0; n--) {
    const parent = n === 0 ? undefined : n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isNode(p.key) && (p.key as { value?: unknown }).value === path[n - 1]);
      if (pair && isNode(pair.key) && pair.key.range) return at(pair.key.range[0]);
    }
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return at(node.range[0]);
  }
  return undefined;
}

/** YAML accepts more than JSON (trailing commas...): a .json file must be strict JSON. */
function checkStrictJson(text: string, file: string): void {
  try {
    JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const before = at ? text.slice(0, Number(at[1])).split('\n') : undefined;
    const pos = before ? { line: before.length, column: before[before.length - 1].length + 1 } : {};
    throw new FlowSpecError([{ file, ...pos, message: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}` }]);
  }
}

/** Parses one YAML or JSON text holding a flow, a list of flows, or several YAML documents. */
export function parseFlowSpecs(text: string, file: string, baseDir = dirname(resolve(file))): LoadedFlow[] {
  const problems: FlowSpecProblem[] = [];
  if (extname(file).toLowerCase() === '.json') checkStrictJson(text, file);
  const { LineCounter: Lines, parseAllDocuments, isSeq } = yaml();
  const lines = new Lines();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  const flows: LoadedFlow[] = [];
  for (const doc of list) {
    for (const err of doc.errors) {
      const pos = lines.linePos(err.pos[0]);
      problems.push({ file, line: pos.line, column: pos.col, message: err.message.split('\n')[0] });
    }
  }
  if (problems.length) throw new FlowSpecError(problems);
  for (const doc of list) {
    if (doc.contents === null) continue;
    const value = doc.toJS() as unknown;
    const items: { value: unknown; prefix: FieldPath }[] = isSeq(doc.contents)
      ? (value as unknown[]).map((v, i) => ({ value: v, prefix: [i] }))
      : [{ value, prefix: [] }];
    for (const item of items) {
      const { spec, issues } = validateFlowSpec(item.value);
      for (const issue of issues) {
        const path = [...item.prefix, ...issue.path];
        problems.push({ file, field: formatFieldPath(issue.path) || undefined, ...locate(doc, lines, path), message: issue.message });
      }
      if (spec) flows.push({ file, spec: normaliseFlowSpec(spec, baseDir) });
    }
  }
  if (!flows.length && !problems.length) {
    problems.push({ file, message: 'no flow found (expected a mapping with name and storage, or a list of them)' });
  }
  if (problems.length) throw new FlowSpecError(problems);
  return flows;
}

/** Expands files and directories (non-recursive: *.yaml, *.yml, *.json) into a sorted list of files. */
export async function findFlowFiles(paths: string[], cwd = process.cwd()): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const full = resolve(cwd, path);
    const info = await stat(full).catch(() => undefined);
    if (!info) throw new UsageError(`No such file or directory: ${path}`, { code: 'FLOW_PATH_NOT_FOUND', suggestions: ['pass --path with a flow spec file or a directory of them'] });
    if (!info.isDirectory()) {
      files.push(full);
      continue;
    }
    const entries = (await readdir(full, { withFileTypes: true }))
      .filter((e) => e.isFile() && FLOW_FILE_EXTENSIONS.includes(extname(e.name).toLowerCase() as never))
      .map((e) => join(full, e.name))
      .sort();
    if (!entries.length) {
      throw new UsageError(`No flow spec files (${FLOW_FILE_EXTENSIONS.join(', ')}) in ${path}`, { code: 'FLOW_PATH_EMPTY', suggestions: ['write a flow spec such as examples/hello.yaml'] });
    }
    files.push(...entries);
  }
  return [...new Set(files)];
}

/** Loads every flow of every file, reporting all problems of all files at once. */
export async function loadFlowSpecs(paths: string[], cwd = process.cwd()): Promise<LoadedFlow[]> {
  const files = await findFlowFiles(paths, cwd);
  const problems: FlowSpecProblem[] = [];
  const flows: LoadedFlow[] = [];
  for (const full of files) {
    const shown = relative(cwd, full).startsWith('..') ? full : relative(cwd, full);
    try {
      flows.push(...parseFlowSpecs(await readFile(full, 'utf8'), shown, dirname(full)));
    } catch (error) {
      if (error instanceof FlowSpecError) problems.push(...error.problems);
      else throw error;
    }
  }
  const byName = new Map<string, string>();
  for (const f of flows) {
    const first = byName.get(f.spec.name);
    if (first !== undefined) problems.push({ file: f.file, field: 'name', message: `flow "${f.spec.name}" is also defined in ${first}` });
    else byName.set(f.spec.name, f.file);
  }
  if (problems.length) throw new FlowSpecError(problems);
  return flows;
}
