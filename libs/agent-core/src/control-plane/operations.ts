/**
 * Every GraphQL document the local agent sends. The Prefect 1 ones keep Prefect's exact text
 * (prefect1-agent.md §1.4–1.10); the extensions are documented in docs/protocol.md.
 */

export const REGISTER_AGENT = `mutation($input: register_agent_input!) {
    register_agent(input: $input) {
        id
    }
}`;

export const HELLO = `query {
    hello
}`;

export const AUTH_INFO_TENANT = `query {
    auth_info {
        tenant_id
    }
}`;

export const FIRST_TENANT = `query {
    tenant {
        id
    }
}`;

export const SERVER_INFO = `query {
    server_info {
        version
        features
    }
}`;

export const agentConfigQuery = (id: string): string => `query {
    agent_config(where: { id: { _eq: ${JSON.stringify(id)} } }) {
        settings
    }
}`;

export const GET_RUNS_IN_QUEUE = `mutation($input: get_runs_in_queue_input!) {
    get_runs_in_queue(input: $input) {
        flow_run_ids
    }
}`;

/** Prefect's metadata query: still Scheduled, or Running with task runs due (retry path). */
export const flowRunMetadataQuery = (ids: readonly string[], buffer: string): string => `query {
    flow_run(where: { id: { _in: [${ids.map((id) => JSON.stringify(id)).join(', ')}] }, _or: [{ state: { _eq: "Scheduled" } }, { state: { _eq: "Running" }, task_runs: { state_start_time: { _lte: ${JSON.stringify(buffer)} } } }] }) {
        id
        version
        state
        serialized_state
        parameters
        scheduled_start_time
        run_config
        name
        labels
        flow {
            id
            name
            environment
            storage
            run_config
            version
            core_version
        }
        task_runs(where: { state_start_time: { _lte: ${JSON.stringify(buffer)} } }) {
            id
            version
            task_id
            serialized_state
        }
    }
}`;

export const SET_FLOW_RUN_STATES = `mutation($input: set_flow_run_states_input!) {
    set_flow_run_states(input: $input) {
        states {
            id
            status
            message
        }
    }
}`;

/** The current state and version of some runs (cancellation checks, version refresh). */
export const RUN_STATES = `query($ids: [UUID!]) {
    flow_run(where: { id: { _in: $ids } }) {
        id
        state
        version
    }
}`;

export const CLAIM_FLOW_RUNS = `mutation($input: claim_flow_runs_input!) {
    claim_flow_runs(input: $input) {
        flow_runs {
            id
            version
            name
            state
            serialized_state
            parameters
            run_config
            labels
            scheduled_start_time
            flow {
                id
                name
                storage
                run_config
                version
            }
        }
        lease_seconds
    }
}`;

export const AGENT_HEARTBEAT = `mutation($input: agent_heartbeat_input!) {
    agent_heartbeat(input: $input) {
        cancel_flow_run_ids
        lease_seconds
    }
}`;

/** Runs this agent claimed since a moment but may not have received (an aborted long poll). */
export const OWN_SUBMITTED_RUNS = `query($agent_id: UUID, $since: timestamptz) {
    flow_run(where: { lease_owner: { _eq: $agent_id }, state: { _eq: "Submitted" }, state_timestamp: { _gte: $since } }) {
        id
        version
    }
}`;

const reportDocuments = new Map<string, string>();

/**
 * Run logs and several runs' state updates in one request: `logs` first, then `s0`, `s1`, …,
 * each a separate `set_flow_run_states` so that one stale version fails only its own field
 * (GraphQL runs mutation fields one after another, in order). Plain Prefect 1 operations, so any
 * Prefect Server accepts it. Cached: at most (2 × the states cap) distinct texts.
 */
export function reportsDocument(withLogs: boolean, states: number): string {
  const key = `${withLogs ? 'l' : ''}${states}`;
  let doc = reportDocuments.get(key);
  if (doc) return doc;
  const vars: string[] = withLogs ? ['$logs: write_run_logs_input!'] : [];
  const fields: string[] = withLogs ? ['    logs: write_run_logs(input: $logs) {\n        success\n    }'] : [];
  for (let i = 0; i < states; i += 1) {
    vars.push(`$s${i}: set_flow_run_states_input!`);
    fields.push(`    s${i}: set_flow_run_states(input: $s${i}) {\n        states {\n            id\n            status\n        }\n    }`);
  }
  doc = `mutation(${vars.join(', ')}) {\n${fields.join('\n')}\n}`;
  reportDocuments.set(key, doc);
  return doc;
}

/** Extension (`report_flow_runs` in server_info.features): the same in one call and one transaction. */
export const REPORT_FLOW_RUNS = `mutation($input: report_flow_runs_input!) {
    report_flow_runs(input: $input) {
        states {
            id
            status
            code
            message
        }
    }
}`;
