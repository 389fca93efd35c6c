import { createServer } from 'node:net';
import { Parser } from '@oclif/core';
import ServerStart from '../src/commands/server/start';
import { parseServerArgv } from '../src/flags/server-argv';
import { homeDir, runCli } from './run-cli';

// bin/run.js starts the control plane without oclif when flags/server-argv.ts accepts the command
// line: whatever it accepts must parse exactly as oclif parses ServerStart's flags, and the rest
// must be left to oclif.

const oclifParse = async (argv: string[]) => {
  const { flags } = await Parser.parse(argv, { flags: ServerStart.flags, args: {}, strict: true });
  const { json: _json, ...rest } = flags as Record<string, unknown>;
  return rest;
};

const ACCEPTED: string[][] = [
  [],
  ['--port', '0', '--data-dir', '/tmp/x y'],
  ['--port=4300', '--host=0.0.0.0', '--insecure'],
  ['--host', '::1', '--auth', 'api-key', '--database-url', 'postgres://u:p@h/db?sslmode=require'],
  ['--auth=none', '--data-dir=/var/lib/prefect', '--port', '65535'],
];

const DECLINED: string[][] = [
  ['--help'],
  ['--json'],
  ['--port'],
  ['--port', ''],
  ['--port', 'x'],
  ['--port', '65536'],
  ['--port', '-1'],
  ['--port', '1', '--port', '2'],
  ['--auth', 'kerberos'],
  ['--host', '--port'],
  ['--insecure=true'],
  ['--insecure', '--insecure'],
  ['--data-dir=-x'],
  ['positional'],
  ['--', '--port', '1'],
  ['--bogus'],
  ['--hos', 'x'],
];

describe('server start without oclif (flags/server-argv.ts)', () => {
  it.each(ACCEPTED.map((argv) => [argv.join(' '), argv]))('accepts %s exactly as oclif parses it', async (_title, argv) => {
    const fast = parseServerArgv(argv, {});
    expect(fast).toBeDefined();
    expect(fast).toEqual(await oclifParse(argv));
  });

  it.each(DECLINED.map((argv) => [argv.join(' '), argv]))('leaves %s to oclif', (_title, argv) => {
    expect(parseServerArgv(argv, {})).toBeUndefined();
  });

  it('takes PREFECT_SERVER_DATABASE_URL when --database-url is not given, as the oclif flag does', async () => {
    const env = { PREFECT_SERVER_DATABASE_URL: 'postgres://from-env/db' };
    const saved = process.env.PREFECT_SERVER_DATABASE_URL;
    process.env.PREFECT_SERVER_DATABASE_URL = env.PREFECT_SERVER_DATABASE_URL;
    try {
      expect(parseServerArgv([], env)).toEqual(await oclifParse([]));
      expect(parseServerArgv(['--database-url', 'postgres://flag/db'], env)?.['database-url']).toBe('postgres://flag/db');
    } finally {
      if (saved === undefined) delete process.env.PREFECT_SERVER_DATABASE_URL;
      else process.env.PREFECT_SERVER_DATABASE_URL = saved;
    }
  });

  it('prints a busy port as oclif does: message, code, exit code 3, with or without the fast path', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = String((busy.address() as { port: number }).port);
    try {
      const env = { HOME: homeDir('server-argv-') };
      const fast = runCli(['server', 'start', '--port', port, '--data-dir', homeDir('server-argv-data-')], env);
      const viaOclif = runCli(['server', 'start', `--port=${port}`, '--data-dir', homeDir('server-argv-data-'), '--json'], env);
      const message = `Cannot listen on 127.0.0.1:${port} (EADDRINUSE)`;
      expect(fast.status).toBe(3);
      expect(fast.stderr).toContain(message);
      expect(fast.stderr).toContain('Code: CP_PORT_UNAVAILABLE');
      expect(fast.stderr).toContain('choose another port with --port');
      expect(viaOclif.status).toBe(3);
      expect(JSON.parse(viaOclif.stdout).error).toMatchObject({ code: 'CP_PORT_UNAVAILABLE', message, exitCode: 3 });
    } finally {
      busy.close();
    }
  });
});
