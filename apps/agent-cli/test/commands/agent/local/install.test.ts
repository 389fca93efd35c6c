import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from '@oclif/core';
import { AGENT_NODE_FLAGS, buildServiceSpec, type AgentStartFlags } from '@prefect-ts/agent-core';
import { render, type ServiceFormat } from '@prefect-ts/install-templates';
import { agentStartFlags, toStartFlags } from '../../../../src/flags/agent-flags';
import { runCli } from '../../../run-cli';
import { supervisorParse, systemdLoaded, systemdVerify, toolAvailable, withTempPaths } from '@prefect-ts/install-templates/testing';

const home = () => mkdtempSync(join(tmpdir(), 'install-home-'));
const HOSTILE_FLAGS: AgentStartFlags = {
  tenantId: '0b0e5a1c-1d2e-4f3a-8b9c-0d1e2f3a4b5c',
  api: 'http://h:4200/x?a=b&c=%41',
  agentConfigId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  name: 'agent "prod" 100%',
  label: ['a b', '-dash-leading', '-x', '--label=x', "it's \"q\"", 'back\\slash', '$HOME', 'ü€😀', 'R&D <x>', 'semi;colon', 'hash#tag'],
  env: ['URL=http://h/?a=b&c=d', 'EMPTY=', 'P=50%off'],
  maxPolls: 3,
  agentAddress: 'http://0.0.0.0:8080',
  noCloudLogs: true,
  logLevel: 'DEBUG',
  importPath: ['/srv/flows dir', 'rel/path'],
  showFlowLogs: true,
  hostnameLabel: false,
  limit: 2,
  stopTimeout: 12.5,
};
const options = (format: ServiceFormat) => ({
  format,
  scope: 'user' as const,
  entryScript: join(__dirname, '../../../../bin/run.js'),
  env: {},
  homeDir: home(),
  account: { name: 'agent', home: '/home/agent' },
});
/** node, its flags for the agent, the entry script, then `agent local start` and its flags. */
const COMMAND_AT = 2 + AGENT_NODE_FLAGS.length;
const startFlagsOf = (argv: string[]) => argv.slice(COMMAND_AT + 3);
const parseStart = async (argv: string[]) =>
  toStartFlags((await Parser.parse(argv, { flags: agentStartFlags(), args: {}, strict: true })).flags as Record<string, unknown>);

describe('the service argv is `agent local start` with the same options', () => {
  it('parsing the generated argv with the start parser gives back exactly the flags', async () => {
    const spec = buildServiceSpec(HOSTILE_FLAGS, options('systemd'));
    expect(spec.argv.slice(1, COMMAND_AT - 1)).toEqual(['--max-semi-space-size=2']);
    expect(spec.argv[COMMAND_AT - 1]).toMatch(/\/bin\/run\.js$/);
    expect(spec.argv.slice(COMMAND_AT, COMMAND_AT + 3)).toEqual(['agent', 'local', 'start']);
    expect(await parseStart(startFlagsOf(spec.argv))).toEqual(HOSTILE_FLAGS);
  });

  (toolAvailable('supervisor') ? it : it.skip)('…also after supervisor itself read the supervisord.conf', async () => {
    const spec = withTempPaths(buildServiceSpec(HOSTILE_FLAGS, options('supervisord')));
    const dir = mkdtempSync(join(tmpdir(), 'conf-'));
    writeFileSync(join(dir, 'supervisord.conf'), (await render('supervisord', spec)).files[0]!.content);
    const argv = supervisorParse(join(dir, 'supervisord.conf')).programs[spec.name]!.argv;
    expect(await parseStart(startFlagsOf(argv))).toEqual(HOSTILE_FLAGS);
  });

  (toolAvailable('systemd-analyze') ? it : it.skip)('…and after systemd itself loaded the unit', async () => {
    const spec = buildServiceSpec(HOSTILE_FLAGS, options('systemd'));
    const unit = (await render('systemd', spec)).files[0]!.content;
    expect(systemdVerify(unit).stderr).toBe('');
    const argv = systemdLoaded(systemdVerify(unit, 'prefect-agent.service', true).stderr).argv;
    expect(await parseStart(startFlagsOf(argv))).toEqual(HOSTILE_FLAGS);
  });

  it('the API key is never in argv; the stop timeout covers --stop-timeout', () => {
    const spec = buildServiceSpec({ ...HOSTILE_FLAGS, key: 'pk_secret' }, options('supervisord'));
    expect(spec.argv.join(' ')).not.toContain('pk_secret');
    expect(spec.secretEnv).toEqual({ PREFECT__CLOUD__API_KEY: 'pk_secret' });
    expect(spec.stop.timeoutSec).toBe(23);
  });
});

describe('prefect agent local install (the built CLI)', () => {
  const env = () => ({ HOME: home() });

  it('prints a standalone supervisord.conf by default, key in environment= only', () => {
    const { status, stdout } = runCli(['agent', 'local', 'install', '--scope', 'user', '--label', 'dev', '--key', 'pk_abc'], env());
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\[supervisord\]$/m);
    expect(stdout).toMatch(/^command=\S+ --max-semi-space-size=2 \S+run\.js agent local start --label=dev$/m);
    expect(stdout).toMatch(/^environment=.*PREFECT__CLOUD__API_KEY="pk_abc"$/m);
    expect(stdout.split('\n').filter((l) => l.includes('pk_abc'))).toHaveLength(1);
  });

  it('--snippet prints only the program section', () => {
    const { status, stdout } = runCli(['agent', 'local', 'install', '--scope', 'user', '--snippet'], env());
    expect(status).toBe(0);
    expect(stdout).not.toMatch(/^\[supervisord\]/m);
    expect(stdout.match(/^\[[^\]]+\]$/gm)).toEqual(['[program:prefect-agent]']);
  });

  it('refuses a value the format cannot carry, naming the flag and the format (exit 2)', () => {
    const { status, stderr } = runCli(['agent', 'local', 'install', '--scope', 'user', '--label', 'a ;b'], env());
    expect(status).toBe(2);
    expect(stderr).toContain('--label "a ;b" cannot be written to a supervisord config');
    expect(stderr).toContain('--format systemd');
  });

  it('--output writes atomically (unit 0644, env file 0600), refuses to overwrite without --force', () => {
    const e = env();
    const dir = mkdtempSync(join(tmpdir(), 'out-'));
    const unit = join(dir, 'prefect-agent.service');
    const args = ['agent', 'local', 'install', '--format', 'systemd', '--scope', 'user', '--label', 'dev', '--key', 'pk_file', '--output', unit];
    const first = runCli(args, e);
    expect(first.status).toBe(0);
    expect(statSync(unit).mode & 0o777).toBe(0o644);
    expect(statSync(join(dir, 'prefect-agent.env')).mode & 0o777).toBe(0o600);
    expect(readFileSync(unit, 'utf8')).not.toContain('pk_file');
    expect(readFileSync(unit, 'utf8')).toContain(`EnvironmentFile=${join(dir, 'prefect-agent.env')}`);
    expect(first.stderr).toContain('systemctl --user daemon-reload && systemctl --user enable --now prefect-agent.service');
    const again = runCli(args, e);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(runCli([...args, '--force'], e).status).toBe(0);
    expect(existsSync(`${unit}.bak`)).toBe(true);
  });

  it.each(['supervisord', 'systemd', 'launchd'])('--check %s: no drift → 0; changed flags → diff and exit 6, key masked', (format) => {
    const e = env();
    const dir = mkdtempSync(join(tmpdir(), 'chk-'));
    const file = join(dir, { supervisord: 'supervisord.conf', systemd: 'prefect-agent.service', launchd: 'io.prefect-ts.prefect-agent.plist' }[format]!);
    const base = ['agent', 'local', 'install', '--format', format, '--scope', 'user', '--label', 'dev', '--key', 'pk_check'];
    expect(runCli([...base, '--output', file], e).status).toBe(0);
    const same = runCli([...base, '--check', file], e);
    expect([same.status, same.stdout]).toEqual([0, `${file}: no drift\n`]);
    const drift = runCli(['agent', 'local', 'install', '--format', format, '--scope', 'user', '--label', 'prod', '--key', 'pk_other', '--check', file], e);
    expect(drift.status).toBe(6);
    expect(drift.stdout).toContain('--label=dev');
    expect(drift.stdout).toContain('--label=prod');
    expect(drift.stdout).not.toMatch(/pk_check|pk_other/);
    const json = JSON.parse(runCli([...base, '--label', 'x', '--check', file, '--json'], e).stdout);
    expect(json.check.drifted).toBe(true);
  });
});
