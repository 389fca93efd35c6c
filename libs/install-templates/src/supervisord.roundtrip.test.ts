import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render, SUPERVISORD_START_RETRIES } from './render.js';
import { parseSupervisordConf, parseSupervisordEnvironment, shlexSplit, expandPercent } from './parse/supervisord-conf.js';
import { hostileSpec, plainSpec } from './testing/fixtures.js';
import { describeWith, supervisorParse, withTempPaths } from './testing/real-tools.js';
import type { ServiceSpec } from './service-spec.js';

async function write(spec: ServiceSpec, snippet: boolean): Promise<string> {
  const { files } = await render('supervisord', spec, { snippet });
  const file = join(mkdtempSync(join(tmpdir(), 'sup-')), snippet ? 'prefect-agent.conf' : 'supervisord.conf');
  writeFileSync(file, files[0]!.content);
  return file;
}

describeWith('supervisor')("supervisord output read back by supervisor's own parser", () => {
  it.each([
    ['plain', plainSpec],
    ['hostile', hostileSpec],
  ] as const)('%s standalone: argv, environment and every contract setting round-trip exactly', async (_n, make) => {
    const spec = withTempPaths(make());
    const parsed = supervisorParse(await write(spec, false));
    expect(parsed.error).toBeUndefined();
    const p = parsed.programs[spec.name]!;
    expect(p.argv).toEqual(spec.argv);
    expect(p.environment).toEqual({ ...spec.env, ...spec.secretEnv });
    expect(p.directory).toBe(spec.cwd);
    expect(p).toMatchObject({
      autostart: true,
      autorestart: 'RestartUnconditionally',
      startsecs: spec.restart.delaySec,
      startretries: SUPERVISORD_START_RETRIES,
      stopsignal: 15,
      stopwaitsecs: spec.stop.timeoutSec,
      stopasgroup: true,
      killasgroup: true,
      stdout_logfile: spec.logs.stdout,
      stderr_logfile: spec.logs.stderr,
      stdout_logfile_maxbytes: spec.logs.maxBytes,
      stdout_logfile_backups: spec.logs.backups,
      redirect_stderr: false,
    });
    expect(parsed.daemon).toMatchObject({
      socket: spec.supervisord.socket,
      chmod: '0o700',
      logfile: spec.supervisord.logfile,
      pidfile: spec.supervisord.pidfile,
      loglevel: 20,
      serverurl: `unix://${spec.supervisord.socket}`,
    });
  });

  it.each([
    ['plain', plainSpec],
    ['hostile', hostileSpec],
  ] as const)('%s snippet: only the program section, same meaning', async (_n, make) => {
    const spec = withTempPaths(make());
    const file = await write(spec, true);
    const parsed = supervisorParse(file, true);
    expect(parsed.error).toBeUndefined();
    expect(Object.keys(parsed.programs)).toEqual([spec.name]);
    expect(parsed.programs[spec.name]!.argv).toEqual(spec.argv);
    expect(parsed.programs[spec.name]!.environment).toEqual({ ...spec.env, ...spec.secretEnv });
  });
});

describe('the --check reader agrees with supervisor', () => {
  it.each([
    ['plain', plainSpec],
    ['hostile', hostileSpec],
  ] as const)('%s: ini-based reader + shlex + environment grammar give the spec back', async (_n, make) => {
    const spec = make();
    const { files } = await render('supervisord', spec, { snippet: false });
    const conf = parseSupervisordConf(files[0]!.content);
    const program = conf[`program:${spec.name}`]!;
    expect(shlexSplit(expandPercent(program['command']!))).toEqual(spec.argv);
    expect(parseSupervisordEnvironment(expandPercent(program['environment']!))).toEqual({ ...spec.env, ...spec.secretEnv });
    expect(expandPercent(program['directory']!)).toBe(spec.cwd);
    expect(conf['unix_http_server']!['chmod']).toBe('0700');
  });
});
