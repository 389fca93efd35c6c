import { render } from './render.js';
import { parseEnvFile, parseEnvironmentValue, parseExecLine, parsePathValue, parseUnitFile } from './parse/systemd-unit.js';
import { hostileSpec, plainSpec } from './testing/fixtures.js';
import { describeWith, systemdLoaded, systemdVerify } from './testing/real-tools.js';
import type { ServiceSpec } from './service-spec.js';

/** verify needs an executable ExecStart binary: use this node. */
const runnable = (spec: ServiceSpec): ServiceSpec => ({ ...spec, argv: [process.execPath, ...spec.argv.slice(1)] });
const specs = [
  ['plain user', () => runnable(plainSpec())],
  ['plain system', () => runnable({ ...plainSpec(), scope: 'system', user: 'prefect' })],
  ['hostile', () => runnable(hostileSpec())],
] as const;

describeWith('systemd-analyze')('systemd unit checked by systemd 252 itself', () => {
  it.each(specs)('%s: systemd-analyze verify prints nothing and exits 0', async (_n, make) => {
    const { files } = await render('systemd', make());
    const result = systemdVerify(files[0]!.content);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(specs)('%s: what systemd loaded (argv, Environment=, paths) equals the spec', async (_n, make) => {
    const spec = make();
    const { files } = await render('systemd', spec);
    const loaded = systemdLoaded(systemdVerify(files[0]!.content, 'prefect-agent.service', true).stderr);
    expect(loaded.argv).toEqual(spec.argv);
    expect(loaded.env).toEqual(spec.env);
    expect(loaded.workingDirectory).toBe(spec.cwd);
    expect(loaded.environmentFile).toBe(spec.envFile);
  });
});

describe('systemd unit read back by the --check parser', () => {
  it.each(specs)('%s: exec line, environment, paths and the env file round-trip', async (_n, make) => {
    const spec = make();
    const { files } = await render('systemd', spec);
    const entries = parseUnitFile(files[0]!.content);
    const get = (key: string) => entries.filter((e) => e.key === key).map((e) => e.value);
    expect(parseExecLine(get('ExecStart')[0]!)).toEqual(spec.argv);
    expect(Object.assign({}, ...get('Environment').map(parseEnvironmentValue))).toEqual(spec.env);
    expect(parsePathValue(get('WorkingDirectory')[0]!)).toBe(spec.cwd);
    expect(get('KillMode')).toEqual(['mixed']);
    expect(get('Restart')).toEqual(['always']);
    expect(get('TimeoutStopSec')).toEqual([String(spec.stop.timeoutSec)]);
    expect(get('WantedBy')).toEqual([spec.scope === 'user' ? 'default.target' : 'multi-user.target']);
    expect(get('User')).toEqual(spec.scope === 'system' ? [spec.user] : []);
    const envFile = files.find((f) => f.role === 'env')!;
    expect(envFile.mode).toBe(0o600);
    expect(envFile.path).toBe(spec.envFile);
    expect(parseEnvFile(envFile.content)).toEqual(spec.secretEnv);
    expect(files[0]!.content).not.toContain(Object.values(spec.secretEnv)[0]);
  });
});
