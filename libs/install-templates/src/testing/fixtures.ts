import type { ServiceSpec } from '../service-spec.js';

/** A spec with unremarkable values, as `buildServiceSpec` produces for `--label dev`. */
export function plainSpec(overrides: Partial<ServiceSpec> = {}): ServiceSpec {
  const home = '/home/agent';
  const state = `${home}/.prefect/services/prefect-agent`;
  return {
    name: 'prefect-agent',
    label: 'io.prefect-ts.prefect-agent',
    description: 'Prefect local agent (prefect-ts)',
    argv: ['/usr/local/bin/node', '/opt/prefect-ts/apps/agent-cli/bin/run.js', 'agent', 'local', 'start', '--label=dev', '--stop-timeout=30'],
    argvSources: ['node executable', 'entry script', 'command', 'command', 'command', '--label', '--stop-timeout'],
    cwd: home,
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, USER: 'agent', LOGNAME: 'agent' },
    secretEnv: { PREFECT__CLOUD__API_KEY: 'pk_plain0123456789' },
    secretSources: { PREFECT__CLOUD__API_KEY: '--key' },
    envFile: `${home}/.config/systemd/user/prefect-agent.env`,
    scope: 'user',
    restart: { policy: 'always', delaySec: 5, maxDelaySec: 60 },
    stop: { signal: 'TERM', timeoutSec: 40, killGroup: true },
    logs: { dir: `${state}/logs`, stdout: `${state}/logs/agent.out.log`, stderr: `${state}/logs/agent.err.log`, maxBytes: 10485760, backups: 5 },
    supervisord: { stateDir: state, socket: `${state}/supervisor.sock`, pidfile: `${state}/supervisord.pid`, logfile: `${state}/logs/supervisord.log` },
    ...overrides,
  };
}

/** Every character class that broke someone's generator (service-generators.md §6), in values every format can carry. */
export const HOSTILE = {
  labels: ['a b', `it's "quoted"`, 'back\\slash', '100% %s %h %%', '$HOME ${USER} $$', 'semi;colon', 'hash#tag', 'R&D <x> =y', 'ünïcødé €😀', '-leading-dash', '--label=x', '\ttab'],
  env: ['URL=http://h/?a=b&c=d', 'LIST=x,y', 'EMPTY=', "Q='single'", 'P=50%off'],
  name: 'agent "prod" 100%',
  cwd: '/srv/R&D dir/100%/ünï',
  home: "/home/o'brien 50%",
  key: "pk_%$;#&<=\\ü'x,y",
};

export function hostileSpec(): ServiceSpec {
  const base = plainSpec();
  const flags = [
    ...HOSTILE.labels.map((l) => `--label=${l}`),
    ...HOSTILE.env.map((e) => `--env=${e}`),
    `--name=${HOSTILE.name}`,
    '--stop-timeout=12.5',
  ];
  const argv = ['/usr/local/bin/node', '/opt/prefect ts/apps/agent-cli/bin/run.js', 'agent', 'local', 'start', ...flags];
  return {
    ...base,
    argv,
    argvSources: ['node executable', 'entry script', 'command', 'command', 'command', ...flags.map((f) => f.slice(0, f.indexOf('=')))],
    cwd: HOSTILE.cwd,
    env: { PATH: '/opt/node 20/bin:/usr/bin:/bin', HOME: HOSTILE.home, USER: 'agent', LOGNAME: 'agent' },
    secretEnv: { PREFECT__CLOUD__API_KEY: HOSTILE.key },
    stop: { signal: 'TERM', timeoutSec: 23, killGroup: true },
  };
}
