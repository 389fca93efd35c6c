import { rejectControl } from './escape/common.js';
import type { ServiceSpec } from './service-spec.js';

type PlistModule = typeof import('plist', { with: { 'resolution-mode': 'import' } });
let plistModule: Promise<PlistModule> | undefined;
/** `plist` 5 is ESM-only (exports offer only "import"), so it is loaded with import(), once. */
export const loadPlist = (): Promise<PlistModule> => (plistModule ??= import('plist'));

/** The plist as a dictionary: launchd keys, typed values. Serialised by `plist.build`, never by hand. */
export function launchdDict(spec: ServiceSpec): Record<string, unknown> {
  const check = (value: string, field: string) => {
    rejectControl(value, { field, format: 'launchd' });
    return value;
  };
  if (!spec.argv[0]?.startsWith('/')) check('', 'executable'); // unreachable with a built spec
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...spec.env, ...spec.secretEnv })) {
    env[check(k, `env ${k}`)] = check(v, spec.secretSources?.[k] ?? `env ${k}`);
  }
  const dict: Record<string, unknown> = {
    Label: check(spec.label, 'label'),
    ProgramArguments: spec.argv.map((a, i) => check(a, spec.argvSources?.[i] ?? `argument ${i}`)),
    WorkingDirectory: check(spec.cwd, 'working directory'),
    EnvironmentVariables: env,
    RunAtLoad: true,
    KeepAlive: true,
    ThrottleInterval: spec.restart.delaySec,
    ExitTimeOut: spec.stop.timeoutSec,
    ProcessType: 'Standard',
    AbandonProcessGroup: false,
    StandardOutPath: check(spec.logs.stdout, 'stdout log file'),
    StandardErrorPath: check(spec.logs.stderr, 'stderr log file'),
  };
  if (spec.scope === 'system' && spec.user) dict['UserName'] = check(spec.user, 'user');
  return dict;
}

export async function renderLaunchd(spec: ServiceSpec): Promise<string> {
  const dict = launchdDict(spec);
  const plist = await loadPlist();
  return `${plist.build(dict as never, { indent: '\t', pretty: true })}\n`;
}
