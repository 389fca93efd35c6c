import { RUN_CONFIG_TYPES, STORAGE_TYPES, type FlowSpec } from './flow-spec.js';

export type FieldPath = (string | number)[];

export interface FlowSpecIssue {
  /** Where in the document: `['storage', 'argv', 0]`. */
  path: FieldPath;
  message: string;
}

/** `['storage', 'argv', 0]` → `storage.argv[0]`. */
export function formatFieldPath(path: FieldPath): string {
  return path.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`);

class Checker {
  readonly issues: FlowSpecIssue[] = [];
  add(path: FieldPath, message: string): void {
    this.issues.push({ path, message });
  }
  string(v: unknown, path: FieldPath, what = 'a non-empty string'): v is string {
    if (typeof v === 'string' && v.trim() !== '') return true;
    this.add(path, v === undefined ? `is required (${what})` : `must be ${what}, got ${describe(v)}`);
    return false;
  }
  stringList(v: unknown, path: FieldPath, nonEmpty: boolean): void {
    if (!Array.isArray(v)) return this.add(path, `must be a list of strings, got ${describe(v)}`);
    if (nonEmpty && v.length === 0) this.add(path, 'must not be empty');
    v.forEach((item, i) => this.string(item, [...path, i]));
  }
  /** Unknown keys are typos in these small objects; keys starting with `__` are tolerated. */
  keys(obj: Record<string, unknown>, path: FieldPath, allowed: string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key) && !key.startsWith('__')) this.add([...path, key], `unknown field (expected one of ${allowed.join(', ')})`);
    }
  }
}

function checkStorage(c: Checker, storage: unknown): void {
  const path = ['storage'];
  if (!isObject(storage)) return c.add(path, storage === undefined ? 'is required (a mapping with a type)' : `must be a mapping, got ${describe(storage)}`);
  if (!STORAGE_TYPES.includes(storage.type as never)) {
    return c.add([...path, 'type'], `must be one of ${STORAGE_TYPES.join(', ')}, got ${storage.type === undefined ? 'nothing' : describe(storage.type)}`);
  }
  if (storage.type === 'Command') {
    c.keys(storage, path, ['type', 'argv']);
    if (storage.argv === undefined) c.add([...path, 'argv'], 'is required (the command as a list of strings, e.g. ["node", "etl.js"])');
    else c.stringList(storage.argv, [...path, 'argv'], true);
  } else {
    c.keys(storage, path, ['type', 'path', 'export']);
    c.string(storage.path, [...path, 'path'], 'a path to a .js/.mjs/.cjs module');
    if (storage.export !== undefined) c.string(storage.export, [...path, 'export']);
  }
}

function checkRunConfig(c: Checker, rc: unknown): void {
  const path = ['run_config'];
  if (rc === undefined || rc === null) return;
  if (!isObject(rc)) return c.add(path, `must be a mapping, got ${describe(rc)}`);
  if (!RUN_CONFIG_TYPES.includes(rc.type as never)) {
    c.add([...path, 'type'], `must be one of ${RUN_CONFIG_TYPES.join(', ')}, got ${rc.type === undefined ? 'nothing' : describe(rc.type)}`);
  }
  c.keys(rc, path, ['type', 'env', 'working_dir', 'labels']);
  if (rc.env !== undefined) {
    if (!isObject(rc.env)) c.add([...path, 'env'], `must be a mapping of names to strings, got ${describe(rc.env)}`);
    else for (const [k, v] of Object.entries(rc.env)) if (typeof v !== 'string') c.add([...path, 'env', k], `must be a string, got ${describe(v)}`);
  }
  if (rc.working_dir !== undefined) c.string(rc.working_dir, [...path, 'working_dir']);
  if (rc.labels !== undefined) c.stringList(rc.labels, [...path, 'labels'], false);
}

function checkParameters(c: Checker, params: unknown): void {
  if (params === undefined || params === null) return;
  if (!Array.isArray(params)) return c.add(['parameters'], `must be a list of {name, default, required}, got ${describe(params)}`);
  const seen = new Set<string>();
  params.forEach((p, i) => {
    const path = ['parameters', i];
    if (!isObject(p)) return c.add(path, `must be a mapping with a name, got ${describe(p)}`);
    c.keys(p, path, ['name', 'default', 'required', 'description']);
    if (c.string(p.name, [...path, 'name'])) {
      if (seen.has(p.name)) c.add([...path, 'name'], `duplicate parameter "${p.name}"`);
      seen.add(p.name);
    }
    if (p.required !== undefined && typeof p.required !== 'boolean') c.add([...path, 'required'], `must be true or false, got ${describe(p.required)}`);
  });
}

/** Checks one flow spec and reports every issue (not only the first). */
export function validateFlowSpec(value: unknown): { spec?: FlowSpec; issues: FlowSpecIssue[] } {
  const c = new Checker();
  if (!isObject(value)) {
    c.add([], `a flow must be a mapping with name and storage, got ${describe(value)}`);
    return { issues: c.issues };
  }
  c.string(value.name, ['name']);
  checkStorage(c, value.storage);
  checkRunConfig(c, value.run_config);
  checkParameters(c, value.parameters);
  return c.issues.length ? { issues: c.issues } : { spec: value as FlowSpec, issues: [] };
}
