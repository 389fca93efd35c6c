import { GraphQLTransport } from '@prefect-ts/agent-core';
import { nowMs, sleep } from './stats';

export const TERMINAL = ['Success', 'Failed', 'Cancelled', 'TimedOut', 'Skipped', 'Cached'];

export interface RunRow {
  id: string;
  state: string;
  state_message: string | null;
  attempt: number;
  start_time: string | null;
  end_time: string | null;
}

/** Loosely typed GraphQL answers: the scenarios read a few known fields. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Data = any;

/**
 * The benchmark's own GraphQL calls, over the same transport the agent and the `prefect` CLI use
 * (node:http with a keep-alive agent), so a measured round trip is the one they see.
 */
export class Api {
  private readonly transport: GraphQLTransport;

  constructor(readonly url: string) {
    this.transport = new GraphQLTransport({ api: `${url}/graphql` });
  }

  gql<T = Data>(query: string, variables?: Record<string, unknown>): Promise<T> {
    return this.transport.request<T>(query, variables);
  }

  /** A flow whose runs execute `argv` (Command storage). */
  async createFlow(argv: string[], name = 'bench'): Promise<string> {
    const project = await this.gql(`mutation($input: create_project_input!) { create_project(input: $input) { id } }`, { input: { name: `p-${Math.random().toString(36).slice(2)}` } });
    const created = await this.gql(`mutation($input: create_flow_input!) { create_flow(input: $input) { id } }`, {
      input: { project_id: project.create_project.id, serialized_flow: { name, parameters: [], storage: { type: 'Command', argv }, run_config: { type: 'LocalRun' } } },
    });
    return created.create_flow.id;
  }

  /** Creates a run; `sentAt` is taken just before the request is written, `ackAt` when the answer is read. */
  async createRun(flowId: string, input: { labels?: string[]; scheduled_start_time?: string } = {}): Promise<{ id: string; sentAt: number; ackAt: number }> {
    const sentAt = nowMs();
    const data = await this.gql<{ create_flow_run: { id: string } }>(`mutation($input: create_flow_run_input!) { create_flow_run(input: $input) { id } }`, { input: { flow_id: flowId, ...input } });
    const ackAt = nowMs();
    return { id: data.create_flow_run.id, sentAt, ackAt };
  }

  /** `count` runs created with `concurrency` requests in flight; returns their ids in creation order. */
  async createRuns(flowId: string, count: number, input: { labels?: string[]; scheduled_start_time?: string } = {}, concurrency = 8): Promise<string[]> {
    const ids: string[] = new Array(count);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, count) }, async () => {
        while (next < count) {
          const i = next++;
          ids[i] = (await this.createRun(flowId, input)).id;
        }
      }),
    );
    return ids;
  }

  async runsOf(flowId: string): Promise<RunRow[]> {
    const data = await this.gql(`query($f: UUID) { flow_run(where: { flow_id: { _eq: $f } }) { id state state_message attempt start_time end_time } }`, { f: flowId });
    return data.flow_run;
  }

  async run(id: string): Promise<RunRow | undefined> {
    const data = await this.gql(`query($id: UUID!) { flow_run_by_pk(id: $id) { id state state_message attempt start_time end_time } }`, { id });
    return data.flow_run_by_pk ?? undefined;
  }

  /** How many runs of the flow are not in one of `states` (cheap: limit 1 unless `countAll`). */
  async anyNotIn(flowId: string, states: string[]): Promise<boolean> {
    const data = await this.gql(`query($f: UUID, $s: [String!]) { flow_run(where: { flow_id: { _eq: $f }, state: { _nin: $s } }, limit: 1) { id } }`, { f: flowId, s: states });
    return data.flow_run.length > 0;
  }

  /** Waits until every run of the flow is terminal; returns the rows. */
  async waitAllTerminal(flowId: string, timeoutMs: number, pollMs = 250): Promise<RunRow[]> {
    const deadline = Date.now() + timeoutMs;
    while (await this.anyNotIn(flowId, TERMINAL)) {
      if (Date.now() > deadline) {
        const rows = await this.runsOf(flowId);
        const open = rows.filter((r) => !TERMINAL.includes(r.state));
        throw new Error(`${open.length} run(s) not finished after ${timeoutMs} ms, e.g. ${JSON.stringify(open.slice(0, 3))}`);
      }
      await sleep(pollMs);
    }
    return this.runsOf(flowId);
  }

  async registerAgent(name: string, labels: string[] = []): Promise<string> {
    const data = await this.gql(`mutation($input: register_agent_input!) { register_agent(input: $input) { id } }`, { input: { type: 'LocalAgent', name, labels } });
    return data.register_agent.id;
  }
}
