import type { Client } from './client.js';
import type { FlowRunInfo, LogEntry, WatchEvent } from './types.js';
import { watchFlowRun } from './watch.js';

const run = (state: string, version: number, message: string | null = null): FlowRunInfo =>
  ({ id: 'r1', name: 'hello-1', state, version, state_message: message }) as FlowRunInfo;
const log = (id: string, created: string): LogEntry & { created: string } =>
  ({ id, flow_run_id: 'r1', timestamp: created, level: 'INFO', name: null, message: `line ${id}`, created });

/** A fake client: each poll answers the next run snapshot; logs appear over time. */
function fakeClient(states: FlowRunInfo[], logsByPoll: (LogEntry & { created: string })[][]): Client {
  let poll = 0;
  const stored: (LogEntry & { created: string })[] = [];
  return {
    getFlowRun: async () => states[Math.min(poll++, states.length - 1)],
    logsSince: async (_id: string, since?: string) => {
      stored.push(...(logsByPoll.shift() ?? []));
      const out = stored.filter((l) => !since || l.created >= since) as LogEntry[] & { lastCreated?: string };
      out.lastCreated = out.map((l) => (l as LogEntry & { created: string }).created).sort().pop();
      return out;
    },
  } as unknown as Client;
}

async function collect(client: Client): Promise<string[]> {
  const out: string[] = [];
  for await (const e of watchFlowRun(client, 'r1', { intervalMs: 5 }) as AsyncIterable<WatchEvent>) {
    out.push(e.type === 'state' ? `state:${e.state}` : e.type === 'log' ? `log:${e.log.id}` : `finished:${e.success}`);
  }
  return out;
}

describe('watchFlowRun', () => {
  it('yields each state change once, each log once, late logs after the final state, then finished', async () => {
    const client = fakeClient(
      [run('Scheduled', 1), run('Scheduled', 1), run('Running', 3), run('Running', 3), run('Success', 4, 'done')],
      [[], [log('a', 't1')], [log('b', 't2')], [], [], [log('c', 't3')]],
    );
    expect(await collect(client)).toEqual(['state:Scheduled', 'log:a', 'state:Running', 'log:b', 'log:c', 'state:Success', 'finished:true']);
  });

  it('reports a rescheduled run (same state, new version) and failure', async () => {
    const client = fakeClient([run('Scheduled', 1), run('Scheduled', 3), run('Failed', 4)], []);
    expect(await collect(client)).toEqual(['state:Scheduled', 'state:Scheduled', 'state:Failed', 'finished:false']);
  });
});
