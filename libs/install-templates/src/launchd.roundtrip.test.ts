import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchdDict, loadPlist } from './render-launchd.js';
import { render } from './render.js';
import { hostileSpec, plainSpec } from './testing/fixtures.js';
import { describeWith, plistlibLoad, plistutilToBinary } from './testing/real-tools.js';

const specs = [
  ['plain', plainSpec],
  ['hostile', hostileSpec],
] as const;

async function written(make: () => ReturnType<typeof plainSpec>) {
  const spec = make();
  const { files } = await render('launchd', spec);
  const file = join(mkdtempSync(join(tmpdir(), 'plist-')), `${spec.label}.plist`);
  writeFileSync(file, files[0]!.content);
  return { spec, file, content: files[0]!.content, mode: files[0]!.mode };
}

describe('launchd plist read back by the plist package', () => {
  it.each(specs)('%s: parse(build(dict)) is the dict, with the launchd contract', async (_n, make) => {
    const { spec, content, mode } = await written(make);
    const parsed = (await loadPlist()).parse(content) as Record<string, unknown>;
    expect(parsed).toEqual(launchdDict(spec));
    expect(parsed['ProgramArguments']).toEqual(spec.argv);
    expect(parsed['EnvironmentVariables']).toEqual({ ...spec.env, ...spec.secretEnv });
    expect(parsed).toMatchObject({ Label: spec.label, RunAtLoad: true, KeepAlive: true, ExitTimeOut: spec.stop.timeoutSec, ThrottleInterval: 5 });
    expect(mode).toBe(0o600);
  });
});

describeWith('plistutil')('launchd plist read back by libplist and Python plistlib', () => {
  it.each(specs)('%s: libplist (plistutil → binary → plist.parseBinary) gives the dict back', async (_n, make) => {
    const { spec, file } = await written(make);
    const fromBinary = (await loadPlist()).parseBinary(plistutilToBinary(file));
    expect(fromBinary).toEqual(launchdDict(spec));
  });
  it.each(specs)('%s: plistlib gives the dict back', async (_n, make) => {
    const { spec, file } = await written(make);
    expect(plistlibLoad(file)).toEqual(launchdDict(spec));
  });
});
