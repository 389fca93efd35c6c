import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../run-cli';

const NO_API = ['--api', 'http://127.0.0.1:9'];

describe('prefect register: spec problems exit 2 before contacting the API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'register-'));

  it('names the file, line and field of every problem (--json carries them too)', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\nstorage:\n  type: Docker\nparameters: {}\n');
    const r = runCli(['register', '--project', 'p', '--path', file, ...NO_API, '--json']);
    expect(r.status).toBe(2);
    const { error } = JSON.parse(r.stdout);
    expect(error.code).toBe('FLOW_SPEC_INVALID');
    expect(error.message).toContain(`${file}:3:3: storage.type: must be one of Command, Module, got string "Docker"`);
    expect(error.message).toContain(`${file}:4:1: parameters: must be a list`);
  });

  it('refuses a missing path', () => {
    const r = runCli(['register', '--project', 'p', '--path', join(dir, 'nope'), ...NO_API]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('No such file or directory');
  });

  it('requires --project and --path', () => {
    expect(runCli(['register', '--path', dir, ...NO_API]).status).toBe(2);
    expect(runCli(['register', '--project', 'p', ...NO_API]).status).toBe(2);
  });
});
