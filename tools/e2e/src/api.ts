/** A small GraphQL client for the tests' own calls (creating flows and runs, reading states). */
export class TestApi {
  constructor(readonly url: string) {}

  async gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data as T;
  }

  async createFlow(flow: { storage: unknown; run_config?: unknown; parameters?: unknown[]; name?: string }): Promise<string> {
    const project = await this.gql(`mutation($input: create_project_input!) { create_project(input: $input) { id } }`, { input: { name: `p-${Math.random().toString(36).slice(2)}` } });
    const created = await this.gql(`mutation($input: create_flow_input!) { create_flow(input: $input) { id } }`, {
      input: { project_id: project.create_project.id, serialized_flow: { name: flow.name ?? 'e2e', parameters: [], run_config: { type: 'LocalRun' }, ...flow } },
    });
    return created.create_flow.id;
  }

  async createRun(flowId: string, input: { labels?: string[]; parameters?: unknown; run_config?: unknown; flow_run_name?: string; scheduled_start_time?: string } = {}): Promise<string> {
    const data = await this.gql(`mutation($input: create_flow_run_input!) { create_flow_run(input: $input) { id } }`, { input: { flow_id: flowId, ...input } });
    return data.create_flow_run.id;
  }

  async run(id: string): Promise<{ id: string; state: string; state_message: string | null; version: number; agent_id: string | null; start_time: string | null; created: string }> {
    const data = await this.gql(`query($id: UUID) { flow_run(where: { id: { _eq: $id } }) { id state state_message version agent_id start_time created } }`, { id });
    return data.flow_run[0];
  }

  async logs(id: string): Promise<string[]> {
    const data = await this.gql(`query($id: UUID) { log(where: { flow_run_id: { _eq: $id } }, order_by: [{ timestamp: asc }]) { message } }`, { id });
    return data.log.map((l: { message: string }) => l.message);
  }

  async cancel(id: string): Promise<string> {
    const data = await this.gql(`mutation($input: cancel_flow_run_input!) { cancel_flow_run(input: $input) { state } }`, { input: { flow_run_id: id } });
    return data.cancel_flow_run.state;
  }

  async createAgentConfig(): Promise<string> {
    const data = await this.gql(`mutation($input: create_agent_config_input!) { create_agent_config(input: $input) { id } }`, { input: { name: 'sla' } });
    return data.create_agent_config.id;
  }

  async agents(): Promise<{ id: string; name: string; labels: string[]; agent_config_id: string | null; type: string }[]> {
    return (await this.gql(`query { agent { id name labels agent_config_id type } }`)).agent;
  }

  /** Polls until the run is in one of `states`; returns the run. */
  async waitForState(id: string, states: string[], timeoutMs = 20_000): Promise<Awaited<ReturnType<TestApi['run']>>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.run(id);
      if (states.includes(run.state)) return run;
      if (Date.now() > deadline) throw new Error(`run ${id} is ${run.state} (${run.state_message}), expected ${states.join('|')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
