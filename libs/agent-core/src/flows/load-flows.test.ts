import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowSpecError, formatProblem, loadFlowSpecs, parseFlowSpecs, type FlowSpecProblem } from './load-flows.js';

function problems(text: string, file = 'flow.yaml'): FlowSpecProblem[] {
  try {
    parseFlowSpecs(text, file, '/base');
  } catch (error) {
    if (error instanceof FlowSpecError) return error.problems;
    throw error;
  }
  throw new Error('expected a FlowSpecError');
}

describe('parseFlowSpecs', () => {
  it('reads a YAML Command flow and resolves nothing it does not need to', () => {
    const [flow] = parseFlowSpecs('name: hello\nstorage:\n  type: Command\n  argv: [node, -e, "1"]\n', 'hello.yaml', '/base');
    expect(flow.spec).toEqual({ name: 'hello', storage: { type: 'Command', argv: ['node', '-e', '1'] }, parameters: [] });
  });

  it('resolves a relative Module path and working_dir against the spec directory, defaults export, sorts labels', () => {
    const text = JSON.stringify({ name: 'etl', storage: { type: 'Module', path: 'flows/etl.mjs' }, run_config: { type: 'LocalRun', working_dir: '.', labels: ['b', 'a', 'b'] } });
    const [flow] = parseFlowSpecs(text, 'etl.json', '/base');
    expect(flow.spec.storage).toEqual({ type: 'Module', path: '/base/flows/etl.mjs', export: 'default' });
    expect(flow.spec.run_config).toEqual({ type: 'LocalRun', working_dir: '/base', labels: ['a', 'b'] });
  });

  it('names the file, the field and the line of each problem, all at once', () => {
    const text = ['name: hello', 'storage:', '  type: Command', '  argv: [node, 3]', 'run_config:', '  type: LocalRun', '  labelz: [dev]'].join('\n');
    expect(problems(text)).toEqual([
      { file: 'flow.yaml', field: 'storage.argv[1]', line: 4, column: 16, message: 'must be a non-empty string, got number 3' },
      { file: 'flow.yaml', field: 'run_config.labelz', line: 7, column: 3, message: 'unknown field (expected one of type, env, working_dir, labels)' },
    ]);
  });

  it('points a missing field at its parent', () => {
    const [p] = problems('name: x\nstorage:\n  type: Module\n');
    expect(p).toMatchObject({ field: 'storage.path', line: 2, message: expect.stringContaining('is required') });
    expect(formatProblem(p)).toBe('flow.yaml:2:1: storage.path: is required (a path to a .js/.mjs/.cjs module)');
  });

  it('rejects an unknown storage type and a missing name', () => {
    expect(problems('storage: {type: Docker}\n').map((p) => p.field)).toEqual(['name', 'storage.type']);
  });

  it('reports YAML syntax errors with a line', () => {
    const [p] = problems('name: x\nstorage: [\n');
    expect(p.file).toBe('flow.yaml');
    expect(p.line).toBeGreaterThanOrEqual(2);
  });

  it('requires strict JSON in .json files and names the line', () => {
    const [p] = problems('{\n  "name": "x",\n}\n', 'flow.json');
    expect(p).toMatchObject({ file: 'flow.json', line: 3, message: expect.stringMatching(/^invalid JSON/) });
  });

  it('locates problems inside a list of flows', () => {
    const text = '- name: a\n  storage: {type: Command, argv: [x]}\n- name: b\n  storage: {type: Command}\n';
    expect(problems(text)).toEqual([expect.objectContaining({ field: 'storage.argv', line: 4 })]);
  });

  it('checks parameters: names, duplicates, required flags', () => {
    const text = 'name: p\nstorage: {type: Command, argv: [x]}\nparameters:\n  - name: a\n  - name: a\n  - {name: b, required: "yes"}\n';
    expect(problems(text).map((p) => `${p.field}@${p.line}`)).toEqual(['parameters[1].name@5', 'parameters[2].required@6']);
  });

  it('refuses an empty file', () => {
    expect(problems('')[0].message).toMatch(/no flow found/);
  });
});

describe('loadFlowSpecs', () => {
  it('loads every spec file of a directory and refuses the same flow name twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-'));
    mkdirSync(join(dir, 'flows'));
    writeFileSync(join(dir, 'a.yaml'), 'name: a\nstorage: {type: Command, argv: [x]}\n');
    writeFileSync(join(dir, 'b.json'), '{"name": "b", "storage": {"type": "Module", "path": "flows/b.mjs"}}');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const flows = await loadFlowSpecs([dir], dir);
    expect(flows.map((f) => [f.file, f.spec.name])).toEqual([['a.yaml', 'a'], ['b.json', 'b']]);
    writeFileSync(join(dir, 'c.yml'), 'name: a\nstorage: {type: Command, argv: [y]}\n');
    await expect(loadFlowSpecs([dir], dir)).rejects.toThrow(/c.yml: name: flow "a" is also defined in a.yaml/);
  });

  it('names a missing path', async () => {
    await expect(loadFlowSpecs(['/nonexistent/flows'])).rejects.toMatchObject({ code: 'FLOW_PATH_NOT_FOUND', exitCode: 2 });
  });
});
