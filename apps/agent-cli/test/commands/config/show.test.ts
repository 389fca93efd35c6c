import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../run-cli';

const emptyHome = () => mkdtempSync(join(tmpdir(), 'prefect-home-'));

describe('prefect config show', () => {
  it('prints every setting with its source, the key masked', () => {
    const dir = emptyHome();
    const file = join(dir, 'config.toml');
    writeFileSync(file, '[cloud]\napi_key = "pnu_supersecretkey1234"\n[cloud.agent]\nname = "filed"\n');
    const { status, stdout } = runCli(['config', 'show', '--label', 'dev'], {
      HOME: dir,
      PREFECT__USER_CONFIG_PATH: file,
      PREFECT__CLOUD__AGENT__LEVEL: 'DEBUG',
    });
    expect(status).toBe(0);
    expect(stdout).toMatch(/^cloud\.agent\.labels\s+\["dev"\]\s+flag: --label$/m);
    expect(stdout).toMatch(/^cloud\.agent\.level\s+DEBUG\s+env: PREFECT__CLOUD__AGENT__LEVEL$/m);
    expect(stdout).toMatch(new RegExp(`^cloud\\.agent\\.name\\s+filed\\s+file: ${file} \\[cloud\\.agent\\] name$`, 'm'));
    expect(stdout).toMatch(/^cloud\.api\s+http:\/\/localhost:4200\s+default$/m);
    expect(stdout).toContain('****1234');
    expect(stdout).not.toContain('supersecret');
    expect(stdout).not.toContain('\u001b['); // plain when piped
  });

  it('--json gives settings with sources', () => {
    const { status, stdout } = runCli(['config', 'show', '--json', '--name', 'x'], { HOME: emptyHome() });
    expect(status).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.configFile).toBeNull();
    expect(result.settings).toContainEqual({
      key: 'cloud.agent.name',
      env: 'PREFECT__CLOUD__AGENT__NAME',
      value: 'x',
      source: { kind: 'flag', name: '--name' },
    });
  });
});

describe('errors: one line naming the flag, a fix, a distinct exit code', () => {
  it.each([
    { args: ['--env', 'FOO'], env: {}, status: 2, text: '--env "FOO" is not of the form KEY=VALUE' },
    { args: ['--agent-address', 'http://localhost'], env: {}, status: 2, text: 'has no port' },
    { args: ['--api', 'not a url'], env: {}, status: 2, text: '--api: "not a url" is not a URL' },
    { args: [], env: { PREFECT__CLOUD__AGENT__LABELS: '["dev",' }, status: 3, text: 'PREFECT__CLOUD__AGENT__LABELS' },
    { args: [], env: { PREFECT__USER_CONFIG_PATH: '/nonexistent/x.toml' }, status: 3, text: 'Config file /nonexistent/x.toml does not exist' },
    { args: ['--unknown-flag'], env: {}, status: 2, text: 'Nonexistent flag: --unknown-flag' },
  ])('$args $env → exit $status', ({ args, env, status, text }) => {
    const result = runCli(['config', 'show', ...args], { HOME: emptyHome(), ...env });
    expect(result.status).toBe(status);
    expect(result.stderr).toContain(text);
    if (status !== 2 || args[0] !== '--unknown-flag') expect(result.stderr).toContain('Try this:');
  });

  it('--json errors are machine readable', () => {
    const result = runCli(['config', 'show', '--json', '--env', 'FOO'], { HOME: emptyHome() });
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: { code: 'BAD_ENV_FLAG', message: '--env "FOO" is not of the form KEY=VALUE', exitCode: 2, suggestions: [expect.any(String)] },
    });
  });
});
