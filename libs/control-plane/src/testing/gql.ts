/** Test helper: POSTs a GraphQL document the way the Python client does (variables as a JSON string). */
export interface GqlResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function gql<T = any>(url: string, query: string, variables?: unknown, headers: Record<string, string> = {}): Promise<GqlResponse<T>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables: variables === undefined ? undefined : JSON.stringify(variables) }),
  });
  const body = (await res.json()) as GqlResponse<T>;
  return { ...body, status: res.status };
}

/** Like gql but throws on GraphQL errors; returns data. */
export async function gqlOk<T = any>(url: string, query: string, variables?: unknown, headers?: Record<string, string>): Promise<T> {
  const res = await gql<T>(url, query, variables, headers);
  if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
  return res.data as T;
}

export const CREATE_PROJECT = 'mutation($input: create_project_input!) { create_project(input: $input) { id } }';
export const CREATE_FLOW = 'mutation($input: create_flow_input!) { create_flow(input: $input) { id } }';
export const CREATE_FLOW_RUN = 'mutation($input: create_flow_run_input!) { create_flow_run(input: $input) { id } }';
export const CLAIM = `mutation($input: claim_flow_runs_input!) { claim_flow_runs(input: $input) {
  lease_seconds flow_runs { id version name state parameters run_config labels scheduled_start_time attempt flow { id name storage run_config version } } } }`;
export const REGISTER = 'mutation($input: register_agent_input!) { register_agent(input: $input) { id } }';

/** Creates a project and a flow; returns the flow id. */
export async function seedFlow(url: string, headers?: Record<string, string>, runConfig: unknown = { type: 'LocalRun', labels: [] }): Promise<string> {
  const p = await gqlOk(url, CREATE_PROJECT, { input: { name: `p-${Math.random().toString(36).slice(2)}` } }, headers);
  const f = await gqlOk(url, CREATE_FLOW, {
    input: {
      project_id: p.create_project.id,
      serialized_flow: JSON.stringify({ name: 'etl', storage: { type: 'Command', argv: ['node', '-e', '1'] }, run_config: runConfig, parameters: [{ name: 'day', default: 'mon', required: false }] }),
    },
  }, headers);
  return f.create_flow.id;
}
