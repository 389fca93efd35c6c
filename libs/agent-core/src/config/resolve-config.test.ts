import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import type { AgentStartFlags } from '../options/agent-options.js';
import { resolveConfig } from './resolve-config.js';

function homeWith(toml?: string): string {
  const home = mkdtempSync(join(tmpdir(), 'prefect-config-'));
  if (toml !== undefined) {
    mkdirSync(join(home, '.prefect'));
    writeFileSync(join(home, '.prefect', 'config.toml'), toml);
  }
  return home;
}

function resolve(flags: AgentStartFlags, env: Record<string, string>, toml?: string) {
  return resolveConfig({ flags, env, homeDir: homeWith(toml) });
}

function failure(fn: () => unknown): AgentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AgentError) return error;
    throw error;
  }
  throw new Error('expected an AgentError');
}

describe('resolveConfig precedence: flag > env > config.toml > default', () => {
  // One row per precedence pair and per kind of value. `expect` is the winning value and source.
  const rows: Array<{
    name: string;
    flags?: AgentStartFlags;
    env?: Record<string, string>;
    toml?: string;
    setting: 'labels' | 'api' | 'level' | 'stopTimeout' | 'hostnameLabel' | 'env' | 'name';
    value: unknown;
    source: string;
  }> = [
    { name: 'flag beats env (list)', flags: { label: ['b', 'a'] }, env: { PREFECT__CLOUD__AGENT__LABELS: '["env"]' }, setting: 'labels', value: ['a', 'b'], source: 'flag' },
    { name: 'flag beats file (string)', flags: { api: 'http://flag:1' }, toml: '[cloud]\napi = "http://file:2"\n', setting: 'api', value: 'http://flag:1', source: 'flag' },
    { name: 'flag beats default (number)', flags: { stopTimeout: 5 }, setting: 'stopTimeout', value: 5, source: 'flag' },
    { name: 'env beats file (list)', env: { PREFECT__CLOUD__AGENT__LABELS: '["dev", "staging"]' }, toml: '[cloud.agent]\nlabels = ["file"]\n', setting: 'labels', value: ['dev', 'staging'], source: 'env' },
    { name: 'env beats default (choice, any case)', env: { PREFECT__CLOUD__AGENT__LEVEL: 'debug' }, setting: 'level', value: 'DEBUG', source: 'env' },
    { name: 'file beats default (boolean)', toml: '[cloud.agent]\nhostname_label = false\n', setting: 'hostnameLabel', value: false, source: 'file' },
    { name: 'default when nothing is set', setting: 'name', value: 'agent', source: 'default' },
    { name: 'flag false beats env true (--no-hostname-label)', flags: { hostnameLabel: false }, env: { PREFECT__CLOUD__AGENT__HOSTNAME_LABEL: 'true' }, setting: 'hostnameLabel', value: false, source: 'flag' },
    { name: 'env table beats file table', env: { PREFECT__CLOUD__AGENT__ENV_VARS: '{"A": "1"}' }, toml: '[cloud.agent.env_vars]\nB = "2"\n', setting: 'env', value: { A: '1' }, source: 'env' },
    { name: 'flag --env beats env table', flags: { env: ['K=V=W'] }, env: { PREFECT__CLOUD__AGENT__ENV_VARS: '{"A": "1"}' }, setting: 'env', value: { K: 'V=W' }, source: 'flag' },
  ];

  it.each(rows)('$name', ({ flags = {}, env = {}, toml, setting, value, source }) => {
    const resolved = resolve(flags, env, toml);
    expect(resolved.settings[setting]).toEqual(value);
    expect(resolved.sources[setting].kind).toBe(source);
  });

  it('names the file path and key as the source of a file value', () => {
    const resolved = resolve({}, {}, '[cloud.agent]\nname = "from-file"\n');
    expect(resolved.sources.name.name).toMatch(/\.prefect\/config\.toml \[cloud\.agent\] name$/);
  });

  it('reads PREFECT__USER_CONFIG_PATH instead of ~/.prefect/config.toml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prefect-config-'));
    writeFileSync(join(dir, 'other.toml'), '[cloud.agent]\nname = "elsewhere"\n');
    const resolved = resolveConfig({ env: { PREFECT__USER_CONFIG_PATH: join(dir, 'other.toml') }, homeDir: homeWith('[cloud.agent]\nname = "home"\n') });
    expect(resolved.settings.name).toBe('elsewhere');
  });
});

describe('label values from the environment', () => {
  it.each([
    ['["dev", "staging"]', ['dev', 'staging']],
    ["['dev', 'staging']", ['dev', 'staging']],
    ['dev', ['dev']],
    ['dev,staging', ['dev', 'staging']],
  ])('PREFECT__CLOUD__AGENT__LABELS=%s', (raw, labels) => {
    expect(resolve({}, { PREFECT__CLOUD__AGENT__LABELS: raw }).settings.labels).toEqual(labels);
  });

  it('does not split a bare label into characters (Prefect 1 bug)', () => {
    expect(resolve({}, { PREFECT__CLOUD__AGENT__LABELS: 'dev' }).settings.labels).not.toContain('d');
  });
});

describe('bad input: exit code, code and a message naming the source', () => {
  const rows: Array<{ name: string; flags?: AgentStartFlags; env?: Record<string, string>; toml?: string; exit: number; code: string; message: RegExp }> = [
    { name: '--env without =', flags: { env: ['FOO'] }, exit: ExitCode.USAGE, code: 'BAD_ENV_FLAG', message: /--env "FOO" is not of the form KEY=VALUE/ },
    { name: '--agent-address without a port', flags: { agentAddress: 'http://localhost' }, exit: ExitCode.USAGE, code: 'INVALID_FLAG_VALUE', message: /--agent-address: "http:\/\/localhost" has no port/ },
    { name: 'non-URL --api', flags: { api: 'localhost 4200' }, exit: ExitCode.USAGE, code: 'INVALID_FLAG_VALUE', message: /--api: "localhost 4200" is not a URL/ },
    { name: '--api with another scheme', flags: { api: 'ftp://h:1' }, exit: ExitCode.USAGE, code: 'INVALID_FLAG_VALUE', message: /--api: .* must start with http/ },
    { name: 'malformed label JSON in the environment', env: { PREFECT__CLOUD__AGENT__LABELS: '["dev", ' }, exit: ExitCode.CONFIG, code: 'INVALID_CONFIG_VALUE', message: /environment variable PREFECT__CLOUD__AGENT__LABELS: .*not valid JSON or TOML/ },
    { name: 'tenant id that is not a UUID', env: { PREFECT__CLOUD__TENANT_ID: 'abc' }, exit: ExitCode.CONFIG, code: 'INVALID_CONFIG_VALUE', message: /PREFECT__CLOUD__TENANT_ID: "abc" is not a UUID/ },
    { name: 'bad value in config.toml', toml: '[cloud.agent]\nlabels = 3\n', exit: ExitCode.CONFIG, code: 'INVALID_CONFIG_VALUE', message: /config\.toml \[cloud\.agent\] labels: expected a list of labels/ },
    { name: 'TOML syntax error with line and column', toml: '[cloud.agent]\nname = "unterminated\n', exit: ExitCode.CONFIG, code: 'CONFIG_FILE_INVALID', message: /config\.toml:2:\d+: invalid TOML/ },
    { name: 'unknown log level', flags: { logLevel: 'LOUD' }, exit: ExitCode.USAGE, code: 'INVALID_FLAG_VALUE', message: /--log-level: "LOUD" is not one of DEBUG, INFO/ },
    { name: '--token explains its replacement', flags: { token: 'abc' }, exit: ExitCode.USAGE, code: 'TOKEN_REMOVED', message: /--token is no longer supported/ },
    { name: 'every issue is reported at once', flags: { api: 'nope' }, env: { PREFECT__CLOUD__AGENT__LEVEL: 'LOUD' }, exit: ExitCode.USAGE, code: 'INVALID_FLAG_VALUE', message: /--api: .*; environment variable PREFECT__CLOUD__AGENT__LEVEL/ },
  ];

  it.each(rows)('$name', ({ flags = {}, env = {}, toml, exit, code, message }) => {
    const error = failure(() => resolve(flags, env, toml));
    expect(error.exitCode).toBe(exit);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.suggestions.length).toBeGreaterThan(0);
  });

  it('an unreadable config file (a directory) is a config error naming the path', () => {
    const home = homeWith();
    mkdirSync(join(home, '.prefect', 'config.toml'), { recursive: true });
    const error = failure(() => resolveConfig({ env: {}, homeDir: home }));
    expect(error.exitCode).toBe(ExitCode.CONFIG);
    expect(error.message).toContain(join(home, '.prefect', 'config.toml'));
  });

  it('a missing file named by PREFECT__USER_CONFIG_PATH is a config error', () => {
    const error = failure(() => resolveConfig({ env: { PREFECT__USER_CONFIG_PATH: '/nonexistent/prefect.toml' }, homeDir: homeWith() }));
    expect(error.exitCode).toBe(ExitCode.CONFIG);
    expect(error.message).toBe('Config file /nonexistent/prefect.toml does not exist');
  });

  it('a missing default config file is fine', () => {
    expect(resolveConfig({ env: {}, homeDir: homeWith() }).configFile).toBeUndefined();
  });
});
