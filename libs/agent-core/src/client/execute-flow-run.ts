import { AgentError, UsageError } from '../errors.js';
import { launch, type ExitInfo } from '../process/launcher.js';
import type { FlowRunMetadata } from '../runs/flow-run.js';
import { planRun } from '../runs/run-plan.js';
import type { Client } from './client.js';

const METADATA = (id: string) =>
  `query { flow_run(where: {id: {_eq: ${JSON.stringify(id)}}}) { id version name state serialized_state parameters run_config labels scheduled_start_time flow { id name storage run_config version core_version } } }`;
const SET_STATES = 'mutation($input: set_flow_run_states_input!) { set_flow_run_states(input: $input) { states { id status message } } }';

export interface ExecuteFlowRunOptions {
  /** Flow run id; default `PREFECT__CONTEXT__FLOW_RUN_ID`. */
  flowRunId?: string;
  /** The environment the flow's process inherits (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Each line the flow prints. */
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Aborting terminates the flow's process group (SIGTERM, SIGKILL after `killGraceMs`). */
  signal?: AbortSignal;
  killGraceMs?: number;
}

export interface ExecuteFlowRunResult {
  flow_run_id: string;
  /** The flow process's exit code (1 when it died of a signal). */
  exit_code: number;
  signal?: string;
  /** Final state written by this command; absent when an agent owns the run's states. */
  state?: 'Success' | 'Failed';
}

/**
 * `prefect execute flow-run`, Prefect's child entrypoint: fetches the run, plans its storage like
 * the local agent (Command argv, or Module through the module runner) and runs it as a child
 * process group with the PREFECT__CONTEXT__* variables. A run that is already Running belongs to
 * the agent that started this command, which reports its states; otherwise (run by hand) this
 * command sets Running and then Success or Failed.
 */
export async function executeFlowRun(client: Client, options: ExecuteFlowRunOptions = {}): Promise<ExecuteFlowRunResult> {
  const env = options.env ?? process.env;
  const id = options.flowRunId ?? env.PREFECT__CONTEXT__FLOW_RUN_ID;
  if (!id) throw new UsageError('No flow run to execute', { code: 'MISSING_FLOW_RUN_ID', suggestions: ['set PREFECT__CONTEXT__FLOW_RUN_ID (the local agent does), or pass --id'] });
  const { flow_run } = await client.transport.request<{ flow_run: FlowRunMetadata[] }>(METADATA(id));
  const run = flow_run[0];
  if (!run) throw new UsageError(`Flow run ${id} not found`, { code: 'NOT_FOUND', suggestions: ['check PREFECT__CLOUD__API and the run id'] });
  const reportStates = run.state !== 'Running';
  const plan = planRun(run);
  let version = run.version;
  const setState = async (type: string, message: string): Promise<void> => {
    const state = { type, message, context: {}, cached_inputs: {}, _result: { type: 'NoResultType', __version__: '1.4.1' }, __version__: '1.4.1' };
    await client.transport.request(SET_STATES, { input: { states: [{ flow_run_id: id, version, state }] } });
    version += 1;
  };
  if (reportStates) await setState('Running', 'Running flow (prefect execute flow-run).');
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  Object.assign(childEnv, plan.runConfigEnv, {
    PREFECT__CONTEXT__FLOW_RUN_ID: run.id,
    PREFECT__CONTEXT__FLOW_ID: run.flow.id,
    PREFECT__CONTEXT__PARAMETERS: JSON.stringify(typeof run.parameters === 'string' ? JSON.parse(run.parameters) : (run.parameters ?? {})),
  });
  let info: ExitInfo;
  try {
    const child = await launch({ file: plan.file, args: plan.args, cwd: plan.cwd, env: childEnv, onLine: options.onLine });
    const stop = () => void child.terminate(options.killGraceMs ?? 10_000);
    options.signal?.addEventListener('abort', stop, { once: true });
    info = await child.exited;
    options.signal?.removeEventListener('abort', stop);
  } catch (error) {
    if (reportStates) await setState('Failed', (error as Error).message).catch(() => undefined);
    throw error instanceof AgentError ? error : new AgentError((error as Error).message, { code: 'EXECUTE_FAILED', cause: error });
  }
  const exitCode = info.exitCode ?? 1;
  const ok = exitCode === 0 && !info.signal;
  const result: ExecuteFlowRunResult = { flow_run_id: id, exit_code: ok ? 0 : exitCode || 1, signal: info.signal };
  if (reportStates) {
    const message = ok ? 'Flow run process exited with code 0' : info.signal ? `Flow run process was killed by ${info.signal}` : `Flow run process exited with code ${exitCode}`;
    await setState(ok ? 'Success' : 'Failed', message);
    result.state = ok ? 'Success' : 'Failed';
  }
  return result;
}
