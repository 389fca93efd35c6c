import { AGENT_OPTIONS } from '@prefect-ts/agent-core';
import { runCli } from './run-cli';

describe('help lists every flag of the option model', () => {
  it('prefect --help lists the agent topic', () => {
    const { status, stdout } = runCli(['--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^\s+agent\s+Manage Prefect agents/m);
  });

  it.each(['agent local start', 'agent local install', 'config show'])('prefect %s --help', (command) => {
    const { status, stdout } = runCli([...command.split(' '), '--help']);
    expect(status).toBe(0);
    const help = stdout.replace(/\s+/g, ' ');
    for (const def of AGENT_OPTIONS.filter((o) => !o.hidden)) {
      const long = def.allowNo ? `--[no-]${def.flag}` : `--${def.flag}`;
      const flag = def.char ? `-${def.char}, ${long}` : long;
      expect(help).toContain(flag);
      expect(help).toContain(def.description.replace(/\s+/g, ' ').slice(0, 40));
    }
  });
});
