import { build, parse } from 'plist';

// plist 5 ships only ES modules. This proves the shared Jest preset (jest.preset.js) loads
// ESM-only dependencies for every project, the way Node 20's require(esm) does at run time.
describe('ESM-only dependencies under Jest', () => {
  it('builds and parses a plist with the ESM-only plist package', () => {
    const xml = build({ Label: 'prefect-agent', KeepAlive: true, ProgramArguments: ['/usr/bin/node', 'a b'] });
    expect(parse(xml)).toEqual({ Label: 'prefect-agent', KeepAlive: true, ProgramArguments: ['/usr/bin/node', 'a b'] });
  });
});
