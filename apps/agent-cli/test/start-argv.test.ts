import { Parser } from '@oclif/core';
import { flagsToArgv, type AgentStartFlags } from '@prefect-ts/agent-core';
import { agentStartFlags, toStartFlags } from '../src/flags/agent-flags';
import { parseStartArgv } from '../src/flags/start-argv';
import { homeDir, runCli } from './run-cli';

// bin/run.js starts the agent without oclif when flags/start-argv.ts accepts the command line:
// whatever it accepts must parse exactly as oclif parses it, and the rest must be left to oclif.

const oclifParse = async (argv: string[]): Promise<AgentStartFlags> =>
  toStartFlags((await Parser.parse(argv, { flags: agentStartFlags(), args: {}, strict: true })).flags as Record<string, unknown>);

const SERVICE_FLAGS: AgentStartFlags = {
  tenantId: '0b0e5a1c-1d2e-4f3a-8b9c-0d1e2f3a4b5c',
  api: 'http://h:4200/x?a=b&c=%41',
  agentConfigId: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
  name: 'agent "prod" 100%',
  label: ['a b', "it's", 'ü€😀', 'x=y'],
  env: ['URL=http://h/?a=b&c=d', 'EMPTY=', 'P=50%off'],
  maxPolls: 3,
  agentAddress: 'http://0.0.0.0:8080',
  noCloudLogs: true,
  logLevel: 'debug',
  importPath: ['/opt/flows', '/srv/x y'],
  showFlowLogs: true,
  hostnameLabel: false,
  limit: 4,
  stopTimeout: 2.5,
};

const ACCEPTED: string[][] = [
  [],
  ['--api', 'http://127.0.0.1:4200', '--no-hostname-label'],
  ['-a', 'http://x', '-l', 'dev', '-l', 'staging', '--label=prod', '-e', 'A=1', '--env=B=', '-n', 'n', '-f', '-p', '/x', '--import-path=/y', '-k', 'secret'],
  ['--hostname-label', '--no-cloud-logs', '--limit', '3', '--max-polls=7', '--stop-timeout', '0', '--log-level', 'WARNING'],
  ['--stop-timeout=1e1', '--limit', '007', '--tenant-id', 't', '--agent-config-id', 'c', '--agent-address', 'http://:8080'],
  ['--token', 'old'],
  flagsToArgv(SERVICE_FLAGS, { includeSecrets: true }),
];

const DECLINED: string[][] = [
  ['--help'],
  ['-h'],
  ['--json'],
  ['--api'],
  ['--api', ''],
  ['--api='],
  ['--api', 'a', '--api', 'b'],
  ['--limit', 'x'],
  ['--limit', '1.5'],
  ['--limit', '-1'],
  ['--max-polls=0x10'],
  ['--stop-timeout', '-1'],
  ['--stop-timeout', 'soon'],
  ['--stop-timeout=-1'],
  ['--label', 'a', 'b'],
  ['--label', '-x'],
  ['--label=-x'],
  ['--label', '--name'],
  ['positional'],
  ['--', '--api', 'x'],
  ['-fl', 'dev'],
  ['-ahttp://x'],
  ['-a=http://x'],
  ['--show-flow-logs=true'],
  ['--no-show-flow-logs'],
  ['--no-no-cloud-logs'],
  ['--hostname-label', '--no-hostname-label'],
  ['-f', '-f'],
  ['--bogus'],
  ['--ap', 'x'],
];

describe('agent local start without oclif (flags/start-argv.ts)', () => {
  it.each(ACCEPTED.map((argv) => [argv.join(' '), argv]))('accepts %s exactly as oclif parses it', async (_title, argv) => {
    const fast = parseStartArgv(argv);
    expect(fast).toBeDefined();
    expect(fast).toEqual(await oclifParse(argv));
  });

  it.each(DECLINED.map((argv) => [argv.join(' '), argv]))('leaves %s to oclif', (_title, argv) => {
    expect(parseStartArgv(argv)).toBeUndefined();
  });

  it('gives back the flags of an installed service’s command line', () => {
    expect(parseStartArgv(flagsToArgv(SERVICE_FLAGS, { includeSecrets: true }))).toEqual(SERVICE_FLAGS);
  });

  it('prints errors as oclif does: message, code, suggestions and the exit code, with or without the fast path', () => {
    // A bad environment value fails before any request is sent.
    const env = { HOME: homeDir('start-argv-'), PREFECT__CLOUD__AGENT__LEVEL: 'BOGUS' };
    const fast = runCli(['agent', 'local', 'start', '--api', 'http://127.0.0.1:1'], env);
    const viaOclif = runCli(['agent', 'local', 'start', '-ahttp://127.0.0.1:1'], env);
    expect(fast.status).toBe(3);
    expect(fast.stderr).toContain('PREFECT__CLOUD__AGENT__LEVEL');
    expect(fast.stderr).toContain('INVALID_CONFIG_VALUE');
    expect(fast).toEqual(viaOclif);
  });
});
