/** Agent-facing root fields beyond the table queries, and every mutation (`input: <name>_input!`). */
export const OPERATIONS_SDL = /* GraphQL */ `
type auth_info { tenant_id: UUID }
type server_info { version: String! features: [String!]! }
extend type Query {
  hello: String!
  auth_info: auth_info!
  server_info: server_info!
}

type id_payload { id: UUID }
type success_payload { success: Boolean! error: String }
type runs_in_queue_payload { flow_run_ids: [UUID!]! }
type set_state_payload { id: UUID status: String message: String }
type set_flow_run_states_payload { states: [set_state_payload!]! }
type report_state_payload { id: UUID! status: String! code: String message: String }
type report_flow_runs_payload { states: [report_state_payload!]! }
type cancel_flow_run_payload { state: String }
type claim_flow_runs_payload { flow_runs: [flow_run!]! lease_seconds: Float! }
type agent_heartbeat_payload { cancel_flow_run_ids: [UUID!]! lease_seconds: Float! }

input register_agent_input { tenant_id: UUID labels: [String!] agent_config_id: UUID type: String! name: String }
input get_runs_in_queue_input { tenant_id: UUID before: timestamptz labels: [String!] }
input set_flow_run_state_input { flow_run_id: UUID! version: Int state: JSON! }
input set_flow_run_states_input { states: [set_flow_run_state_input!]! }
input write_run_logs_row_input { flow_run_id: UUID! task_run_id: UUID name: String level: String message: String! timestamp: timestamptz info: JSON }
input write_run_logs_input { logs: [write_run_logs_row_input!]! }
input create_project_input { name: String! description: String tenant_id: UUID }
input create_flow_input { serialized_flow: JSON! project_id: UUID! version_group_id: String description: String idempotency_key: String set_schedule_active: Boolean }
input create_flow_run_input { flow_id: UUID version_group_id: String parameters: JSON context: JSON scheduled_start_time: timestamptz flow_run_name: String labels: [String!] run_config: JSON idempotency_key: String }
input cancel_flow_run_input { flow_run_id: UUID! }
input update_flow_run_heartbeat_input { flow_run_id: UUID! }
input create_tenant_input { name: String! slug: String }
input create_agent_config_input { name: String settings: JSON tenant_id: UUID }
input delete_agent_input { agent_id: UUID! }
input claim_flow_runs_input { agent_id: UUID! labels: [String!] limit: Int wait_seconds: Float }
input report_flow_runs_input { logs: [write_run_logs_row_input!] states: [set_flow_run_state_input!] }
input agent_heartbeat_input { agent_id: UUID! flow_run_ids: [UUID!]! }

type Mutation {
  register_agent(input: register_agent_input!): id_payload
  get_runs_in_queue(input: get_runs_in_queue_input!): runs_in_queue_payload
  set_flow_run_states(input: set_flow_run_states_input!): set_flow_run_states_payload
  write_run_logs(input: write_run_logs_input!): success_payload
  create_project(input: create_project_input!): id_payload
  create_flow(input: create_flow_input!): id_payload
  create_flow_run(input: create_flow_run_input!): id_payload
  cancel_flow_run(input: cancel_flow_run_input!): cancel_flow_run_payload
  update_flow_run_heartbeat(input: update_flow_run_heartbeat_input!): success_payload
  create_tenant(input: create_tenant_input!): id_payload
  create_agent_config(input: create_agent_config_input!): id_payload
  delete_agent(input: delete_agent_input!): success_payload
  claim_flow_runs(input: claim_flow_runs_input!): claim_flow_runs_payload
  agent_heartbeat(input: agent_heartbeat_input!): agent_heartbeat_payload
  report_flow_runs(input: report_flow_runs_input!): report_flow_runs_payload
}
`;
