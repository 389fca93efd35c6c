import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { Client, ConfigError, LocalAgent, loadFlowSpecs, type RegisterFlowResult } from '@prefect-ts/agent-core';
import { ControlPlaneConfigError, defaultDataDir, startControlPlane } from '@prefect-ts/control-plane';
import { BaseCommand } from '../base-command.js';
import { paint } from '../render/style.js';

export interface DevResult {
  url: string;
  project: string;
  flows: RegisterFlowResult[];
}

/** The repository's examples/ when run from a checkout (cwd first, then next to the CLI). */
function defaultExamples(): string | undefined {
  return [resolve('examples'), join(__dirname, '..', '..', '..', '..', 'examples')].find((p) => existsSync(p));
}

/** Signals closer together than this count once (a terminal's Ctrl-C also reaches npm, which forwards it). */
const SIGNAL_DEBOUNCE_MS = 500;

export default class Dev extends BaseCommand {
  static override summary = 'Start the control plane, a local agent and the example flows in one process';
  static override description =
    'The quickstart (`npm start`): serves the API on the embedded SQLite store, creates the project, registers the flow specs of --path (the repository\'s examples/ by default), and starts a local agent without the hostname label (so it takes unlabeled runs) that echoes flow output. Ctrl-C stops the agent (running flow runs get --stop-timeout seconds), then the server; a second Ctrl-C terminates running flow runs at once.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --port 4300 --data-dir /tmp/prefect-dev --label dev'];
  static override flags = {
    host: Flags.string({ summary: 'Address to listen on', default: '127.0.0.1' }),
    port: Flags.integer({ summary: 'Port to listen on (0 = any free port)', default: 4200, min: 0, max: 65535 }),
    'data-dir': Flags.string({ summary: 'Directory of the embedded SQLite store', defaultHelp: async () => defaultDataDir() }),
    project: Flags.string({ summary: 'Project to register the flows in', default: 'examples' }),
    path: Flags.string({ char: 'p', summary: 'Flow spec files or directories to register (default: examples/)', multiple: true }),
    label: Flags.string({ char: 'l', summary: 'Labels of the agent (default: none, so it takes unlabeled runs)', multiple: true }),
    'stop-timeout': Flags.integer({ summary: 'Seconds running flow runs get to finish on Ctrl-C', default: 10, min: 0 }),
  };

  async run(): Promise<DevResult> {
    const { flags } = await this.parse(Dev);
    const paths = flags.path ?? [defaultExamples()].filter((p): p is string => !!p);
    const flows = paths.length ? await loadFlowSpecs(paths) : [];
    const cp = await startControlPlane({ host: flags.host, port: flags.port, dataDir: flags['data-dir'], log: (level, m) => level !== 'info' && this.logToStderr(`server ${level}: ${m}`) }).catch((err) => {
      throw err instanceof ControlPlaneConfigError ? new ConfigError(err.message, { code: err.code, suggestions: err.suggestions, cause: err }) : err;
    });
    let agentDone: Promise<unknown> | undefined;
    let uninstall = (): void => undefined;
    try {
      this.log(`Control plane listening on ${cp.url} (store: ${cp.store.location})`);
      const client = new Client({ api: cp.url });
      await client.createProject({ name: flags.project, skipIfExists: true, description: 'prefect-ts example flows' });
      const registered: RegisterFlowResult[] = [];
      for (const f of flows) {
        const r = await client.registerFlow({ project: flags.project, flow: f.spec });
        registered.push(r);
        this.log(`Registered flow '${r.name}' (${f.file}) version ${r.version}${r.status === 'unchanged' ? ' (unchanged)' : ''}`);
      }
      const agent = new LocalAgent({
        api: cp.url, name: 'dev-agent', labels: flags.label ?? [], hostnameLabel: false, showFlowLogs: true,
        stopTimeout: flags['stop-timeout'], sink: (_level, line) => this.log(line), flowLogSink: (line) => this.log(paint(line, 'cyan')),
      });
      uninstall = this.onSignals((count) => agent.stop({ graceful: count === 1 }));
      agentDone = agent.start();
      const hint = flows.some((f) => f.spec.name === 'hello') ? `--name hello --project ${flags.project}` : `--name <flow> --project ${flags.project}`;
      const api = flags.port === 4200 && flags.host === '127.0.0.1' ? '' : ` --api ${cp.url}`;
      this.log(paint(`Ready. API ${cp.url}, agent 'dev-agent' labels ${JSON.stringify(flags.label ?? [])}, ${registered.length} flow(s) in project '${flags.project}'.`, 'green'));
      this.log(`In another terminal:  npx --no-install prefect run ${hint}${api} --watch`);
      this.log('Press Ctrl-C to stop.');
      await agentDone;
      return { url: cp.url, project: flags.project, flows: registered };
    } finally {
      uninstall();
      await cp.close();
      this.log('Stopped.');
    }
  }

  /** SIGINT/SIGTERM: first = graceful, a later one = forced; duplicates within 500 ms count once. */
  private onSignals(stop: (count: number) => void): () => void {
    let count = 0;
    let last = 0;
    const handler = (): void => {
      const now = Date.now();
      if (count > 0 && now - last < SIGNAL_DEBOUNCE_MS) return;
      last = now;
      stop(++count);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  }
}
