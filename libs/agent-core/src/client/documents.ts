/** The GraphQL documents of the user-facing client (Prefect 1 names, docs/protocol.md). */

const FLOW_FIELDS = 'id name version version_group_id project_id archived created storage run_config parameters project { name }';
const RUN_FIELDS =
  'id name flow_id state state_message labels parameters scheduled_start_time start_time end_time created version agent_id flow { name project { name } }';
const LOG_FIELDS = 'id flow_run_id timestamp level name message created';

export const CREATE_PROJECT = `mutation($input: create_project_input!) { create_project(input: $input) { id } }`;
export const CREATE_FLOW = `mutation($input: create_flow_input!) { create_flow(input: $input) { id } }`;
export const CREATE_FLOW_RUN = `mutation($input: create_flow_run_input!) { create_flow_run(input: $input) { id } }`;
export const CANCEL_FLOW_RUN = `mutation($input: cancel_flow_run_input!) { cancel_flow_run(input: $input) { state } }`;

export const PROJECT_FIELDS = 'id name description created';
export { FLOW_FIELDS, RUN_FIELDS, LOG_FIELDS };

export interface RawFlow {
  id: string;
  name: string;
  version: number;
  version_group_id: string;
  project_id: string;
  archived: boolean;
  created: string;
  storage: { type?: string } | null;
  run_config: { labels?: string[] } | null;
  parameters: { name: string; default?: unknown; required?: boolean }[] | null;
  project: { name: string } | null;
}

export interface RawFlowRun {
  id: string;
  name: string;
  flow_id: string;
  state: string;
  state_message: string | null;
  labels: string[] | null;
  parameters: Record<string, unknown> | null;
  scheduled_start_time: string | null;
  start_time: string | null;
  end_time: string | null;
  created: string;
  version: number;
  agent_id: string | null;
  flow: { name: string; project: { name: string } | null } | null;
}

export interface RawLog {
  id: string;
  flow_run_id: string;
  timestamp: string;
  level: string | null;
  name: string | null;
  message: string;
  created: string;
}
