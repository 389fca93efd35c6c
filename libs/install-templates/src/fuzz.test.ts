/**
 * Seeded fuzz: random strings from a hostile alphabet, per field and per format, either come back
 * exactly from the real parsers or are rejected with UnrepresentableValueError — never altered.
 * Accepted values are checked in batches (one file carrying many values) to keep the real tools fast.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrepresentableValueError } from './errors.js';
import { launchdDict, loadPlist } from './render-launchd.js';
import { render } from './render.js';
import { parseEnvFile } from './parse/systemd-unit.js';
import type { ServiceFormat, ServiceSpec } from './service-spec.js';
import { plainSpec } from './testing/fixtures.js';
import { plistutilToBinary, supervisorParse, systemdLoaded, systemdVerify, toolAvailable, withTempPaths } from './testing/real-tools.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20240917);
const COUNT = Number(process.env['FUZZ_COUNT'] ?? 300);
const ALPHABET = [..."aZ09 '\"\\%$;#&<>=?,-_{}[]*`:/.ü€😀\t\n\r\0\u00a0\u2028\u0085\u001f\u007f\ufffe", '\ud800'];

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function randomStrings(seed: number, count: number): string[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const len = Math.floor(rnd() * 12);
    let s = '';
    for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
    return s;
  });
}

const base = () => withTempPaths({ ...plainSpec(), argv: [process.execPath, ...plainSpec().argv.slice(1)] });
const values = randomStrings(SEED, COUNT);

/** Renders each value alone; returns the accepted ones, asserting every refusal is typed. */
async function accepted(format: ServiceFormat, apply: (spec: ServiceSpec, v: string) => ServiceSpec): Promise<string[]> {
  const ok: string[] = [];
  for (const v of values) {
    try {
      await render(format, apply(base(), v));
      ok.push(v);
    } catch (error) {
      expect(error).toBeInstanceOf(UnrepresentableValueError);
      expect((error as UnrepresentableValueError).format).toBe(format);
    }
  }
  return ok;
}

const withLabels = (spec: ServiceSpec, vs: string[]): ServiceSpec => ({ ...spec, argv: [...spec.argv, ...vs.map((v) => `--label=${v}`)] });
const withEnv = (spec: ServiceSpec, vs: string[]): ServiceSpec => ({ ...spec, env: { ...spec.env, ...Object.fromEntries(vs.map((v, i) => [`V${i}`, v])) } });
const withSecrets = (spec: ServiceSpec, vs: string[]): ServiceSpec => ({ ...spec, secretEnv: Object.fromEntries(vs.map((v, i) => [`S${i}`, v])) });
const tmpFile = (name: string, content: string) => {
  const f = join(mkdtempSync(join(tmpdir(), 'fuzz-')), name);
  writeFileSync(f, content);
  return f;
};

const CI = process.env['CI'] === 'true';
const has = { supervisor: CI || toolAvailable('supervisor'), systemd: CI || toolAvailable('systemd-analyze'), plist: CI || toolAvailable('plistutil') };

describe(`fuzz (seed ${SEED}, ${COUNT} values per field)`, () => {
  it('rejects what no format can carry: control characters, broken UTF-16', async () => {
    for (const format of ['supervisord', 'systemd', 'launchd'] as const) {
      for (const bad of ['a\nb', 'a\rb', 'a\0b', '\ud800']) {
        await expect(render(format, withLabels(base(), [bad]))).rejects.toBeInstanceOf(UnrepresentableValueError);
      }
    }
  });

  (has.supervisor ? it : it.skip)('supervisord: --label values and environment values round-trip through supervisor or are rejected', async () => {
    const labels = await accepted('supervisord', (s, v) => withLabels(s, [v]));
    const envs = await accepted('supervisord', (s, v) => withEnv(s, [v]));
    expect(labels.length).toBeGreaterThan(COUNT / 4);
    expect(envs.length).toBeGreaterThan(COUNT / 8);
    const spec = withEnv(withLabels(base(), labels), envs);
    const { files } = await render('supervisord', spec);
    const parsed = supervisorParse(tmpFile('supervisord.conf', files[0]!.content));
    expect(parsed.error).toBeUndefined();
    expect(parsed.programs[spec.name]!.argv).toEqual(spec.argv);
    expect(parsed.programs[spec.name]!.environment).toEqual({ ...spec.env, ...spec.secretEnv });
  });

  (has.systemd ? it : it.skip)('systemd: --label values, Environment= values and env-file values round-trip through systemd or are rejected', async () => {
    const labels = await accepted('systemd', (s, v) => withLabels(s, [v]));
    const envs = await accepted('systemd', (s, v) => withEnv(s, [v]));
    const secrets = await accepted('systemd', (s, v) => withSecrets(s, [v]));
    const spec = withSecrets(withEnv(withLabels(base(), labels), envs), secrets);
    const { files } = await render('systemd', spec);
    expect(systemdVerify(files[0]!.content).stderr).toBe('');
    const loaded = systemdLoaded(systemdVerify(files[0]!.content, 'prefect-agent.service', true).stderr);
    expect(loaded.argv).toEqual(spec.argv);
    expect(loaded.env).toEqual(spec.env);
    expect(parseEnvFile(files.find((f) => f.role === 'env')!.content)).toEqual(spec.secretEnv);
  });

  (has.plist ? it : it.skip)('launchd: every value round-trips through libplist and the plist package or is rejected', async () => {
    const labels = await accepted('launchd', (s, v) => withLabels(s, [v]));
    const envs = await accepted('launchd', (s, v) => withEnv(s, [v]));
    const spec = withEnv(withLabels(base(), labels), envs);
    const { files } = await render('launchd', spec);
    const plist = await loadPlist();
    expect(plist.parse(files[0]!.content)).toEqual(launchdDict(spec));
    expect(plist.parseBinary(plistutilToBinary(tmpFile('x.plist', files[0]!.content)))).toEqual(launchdDict(spec));
  });

  (has.supervisor && has.systemd ? it : it.skip)('working directory: round-trips through supervisor and systemd or is rejected', async () => {
    const dirs = values.slice(0, 40).map((v) => `/srv/${v.replace(/\//g, '_') || 'x'}`);
    for (const cwd of dirs) {
      const spec = { ...base(), cwd };
      for (const format of ['supervisord', 'systemd'] as const) {
        let files;
        try {
          ({ files } = await render(format, spec));
        } catch (error) {
          expect(error).toBeInstanceOf(UnrepresentableValueError);
          continue;
        }
        if (format === 'supervisord') {
          const parsed = supervisorParse(tmpFile('supervisord.conf', files[0]!.content));
          expect([cwd, parsed.error, parsed.programs?.[spec.name]?.directory]).toEqual([cwd, undefined, cwd]);
        } else {
          const v = systemdVerify(files[0]!.content);
          expect([cwd, v.stderr]).toEqual([cwd, '']);
          expect([cwd, systemdLoaded(systemdVerify(files[0]!.content, 'prefect-agent.service', true).stderr).workingDirectory]).toEqual([cwd, cwd]);
        }
      }
    }
  }, 60_000);
});
