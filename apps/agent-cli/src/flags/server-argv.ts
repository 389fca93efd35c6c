import { parseArgs } from 'node:util';

// `server start` flags parsed without oclif, for the fast start in bin/run.js (see
// ../server-start.ts): loading oclif is about 100 ms of the server's start-up (DESIGN.md T6: ready
// within 1 s with 100k runs stored). Only plain lines are taken: `--flag value`, `--flag=value`
// and `--insecure`, each flag at most once, with valid values. Anything else (help, --json, an
// unknown or repeated flag, a bad value) gives `undefined` and oclif parses the line as before,
// so its behaviour and messages stay the reference. test/server-argv.test.ts checks every
// accepted line against oclif's parse of ServerStart's flags.

export interface ServerStartFlags {
  host: string;
  port: number;
  'data-dir'?: string;
  'database-url'?: string;
  auth: 'none' | 'api-key';
  insecure: boolean;
}

const STRING_FLAGS = ['host', 'port', 'data-dir', 'database-url', 'auth'] as const;

/** The flags of a plain `server start` command line (argv after `start`), or `undefined`. */
export function parseServerArgv(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerStartFlags | undefined {
  let tokens;
  try {
    const options = Object.fromEntries([...STRING_FLAGS.map((f) => [f, { type: 'string' as const }]), ['insecure', { type: 'boolean' as const }]]);
    ({ tokens } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false, tokens: true }));
  } catch {
    return undefined;
  }
  const seen: Record<string, string | true> = {};
  for (const token of tokens) {
    if (token.kind !== 'option' || seen[token.name] !== undefined) return undefined;
    const arg = argv[token.index];
    const plain = arg === `--${token.name}` || (token.inlineValue === true && arg === `--${token.name}=${token.value}`);
    if (!plain) return undefined;
    if (token.name === 'insecure') {
      seen.insecure = true;
      continue;
    }
    if (token.value === undefined || token.value === '' || token.value.startsWith('-')) return undefined;
    seen[token.name] = token.value;
  }
  const port = seen.port === undefined ? '4200' : (seen.port as string);
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) return undefined;
  const auth = (seen.auth as string | undefined) ?? 'none';
  if (auth !== 'none' && auth !== 'api-key') return undefined;
  const databaseUrl = (seen['database-url'] as string | undefined) ?? (env.PREFECT_SERVER_DATABASE_URL || undefined);
  return {
    host: (seen.host as string | undefined) ?? '127.0.0.1',
    port: Number(port),
    ...(seen['data-dir'] !== undefined ? { 'data-dir': seen['data-dir'] as string } : {}),
    ...(databaseUrl !== undefined ? { 'database-url': databaseUrl } : {}),
    auth,
    insecure: seen.insecure === true,
  };
}
