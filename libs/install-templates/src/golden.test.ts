import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { render } from './render.js';
import { hostileSpec, plainSpec } from './testing/fixtures.js';

const GOLDEN = join(__dirname, '__golden__');
const update = process.env['UPDATE_GOLDEN'] === '1';

const cases = [
  { file: 'supervisord.conf', format: 'supervisord', snippet: false },
  { file: 'snippet.conf', format: 'supervisord', snippet: true },
  { file: 'service', format: 'systemd', snippet: false },
  { file: 'plist', format: 'launchd', snippet: false },
] as const;

describe.each([
  ['plain', plainSpec],
  ['hostile', hostileSpec],
] as const)('golden files: %s spec', (specName, makeSpec) => {
  it.each(cases)('$file matches __golden__ byte for byte', async ({ file, format, snippet }) => {
    const result = await render(format, makeSpec(), { snippet });
    const outputs: [string, string][] = [[`${specName}.${file}`, result.files[0]!.content]];
    const env = result.files.find((f) => f.role === 'env');
    if (env) outputs.push([`${specName}.env`, env.content]);
    for (const [name, content] of outputs) {
      const path = join(GOLDEN, name);
      if (update || !existsSync(path)) {
        if (!update && process.env['CI'] === 'true') throw new Error(`missing golden file ${name}`);
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(path, content);
      }
      expect(content).toBe(readFileSync(path, 'utf8'));
    }
  });
});
