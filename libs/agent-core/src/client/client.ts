import { ControlPlaneError, UsageError } from '../errors.js';
import { GraphQLTransport } from '../control-plane/transport.js';
import { resolveConfig, type ResolveConfigOptions } from '../config/resolve-config.js';
import { flowSpecHash } from '../flows/normalise-flow.js';
import * as doc from './documents.js';
import type {
  CancelFlowRunResult, ClientOptions, CreateFlowRunOptions, CreateProjectOptions, CreateProjectResult, FlowInfo, FlowRunInfo,
  ListFlowRunsOptions, ListFlowsOptions, LogEntry, LogsOptions, ProjectInfo, RegisterFlowOptions, RegisterFlowResult, WatchEvent, WatchOptions,
} from './types.js';
import { watchFlowRun } from './watch.js';
import { listQuery } from './graphql-literal.js';

type Where = Record<string, unknown>;
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

function toFlow(f: doc.RawFlow): FlowInfo {
  const storage = json<{ type?: string } | null>(f.storage);
  const runConfig = json<{ labels?: string[] } | null>(f.run_config);
  return {
    id: f.id, name: f.name, version: f.version, version_group_id: f.version_group_id, project_id: f.project_id,
    project: f.project?.name ?? '', archived: Boolean(f.archived), created: f.created, storage_type: storage?.type ?? null,
    parameters: json<FlowInfo['parameters'] | null>(f.parameters) ?? [], labels: runConfig?.labels ?? [],
  };
}

function toRun(r: doc.RawFlowRun): FlowRunInfo {
  return {
    id: r.id, name: r.name, flow_id: r.flow_id, flow_name: r.flow?.name ?? '', project: r.flow?.project?.name ?? null,
    state: r.state, state_message: r.state_message, labels: json<string[] | null>(r.labels) ?? [],
    parameters: json<Record<string, unknown> | null>(r.parameters) ?? {}, scheduled_start_time: r.scheduled_start_time,
    start_time: r.start_time, end_time: r.end_time, created: r.created, version: r.version, agent_id: r.agent_id,
  };
}

const toLog = (l: doc.RawLog): LogEntry => ({
  id: l.id, flow_run_id: l.flow_run_id, timestamp: l.timestamp, level: l.level ?? 'INFO', name: l.name, message: l.message,
});

const notFound = (what: string, suggestions: string[]) => new UsageError(what, { code: 'NOT_FOUND', suggestions });

/**
 * The typed client behind `prefect create|register|run|get|cancel`: Prefect 1's GraphQL
 * mutations and Hasura-style queries over one GraphQLTransport.
 */
export class Client {
  readonly transport: GraphQLTransport;

  constructor(options: ClientOptions | GraphQLTransport) {
    this.transport = options instanceof GraphQLTransport ? options : new GraphQLTransport(options);
  }

  /** A client for `--api`/`--key`/`--tenant-id` > PREFECT__CLOUD__* > config.toml > defaults. */
  static fromConfig(options: ResolveConfigOptions = {}): Client {
    const { settings } = resolveConfig(options);
    return new Client({ api: settings.api, key: settings.key, tenantId: settings.tenantId });
  }

  get api(): string {
    return this.transport.api;
  }

  async createProject(options: CreateProjectOptions): Promise<CreateProjectResult> {
    const existing = await this.findProject(options.name);
    if (existing) {
      if (options.skipIfExists) return { ...existing, created_now: false };
      throw new UsageError(`A project named "${options.name}" already exists`, { code: 'PROJECT_EXISTS', suggestions: ['pass --skip-if-exists to accept an existing project'] });
    }
    const input: Where = { name: options.name };
    if (options.description !== undefined) input.description = options.description;
    const { create_project } = await this.request<{ create_project: { id: string } }>(doc.CREATE_PROJECT, { input });
    const project = await this.findProject(options.name);
    return { ...(project ?? { id: create_project.id, name: options.name, description: options.description ?? null, created: new Date().toISOString() }), created_now: true };
  }

  async findProject(name: string): Promise<ProjectInfo | undefined> {
    return (await this.listProjects({ where: { name: { _eq: name } }, limit: 1 }))[0];
  }

  async listProjects(options: { where?: Where; limit?: number } = {}): Promise<ProjectInfo[]> {
    const query = listQuery('project', doc.PROJECT_FIELDS, { where: options.where, orderBy: [{ name: 'asc' }], limit: options.limit });
    const { project } = await this.request<{ project: ProjectInfo[] }>(query);
    return project;
  }

  /**
   * Registers a normalised flow spec in a project. Version group = project + flow name. The
   * spec's hash goes as `idempotency_key`: an unchanged spec answers the newest version as is,
   * a changed one becomes the next version of the group.
   */
  async registerFlow(options: RegisterFlowOptions): Promise<RegisterFlowResult> {
    const project = await this.requireProject(options.project);
    const name = options.flow.name;
    const [previous] = await this.flows({ name: { _eq: name }, project_id: { _eq: project.id } }, 1);
    const key = flowSpecHash(options.flow);
    const input: Where = { serialized_flow: options.flow, project_id: project.id, idempotency_key: key };
    if (previous) input.version_group_id = previous.version_group_id;
    const { create_flow } = await this.request<{ create_flow: { id: string } }>(doc.CREATE_FLOW, { input });
    const [flow] = await this.flows({ id: { _eq: create_flow.id } }, 1);
    return {
      id: create_flow.id, name, project: project.name, version: flow?.version ?? 1, version_group_id: flow?.version_group_id ?? '',
      status: !previous ? 'created' : previous.id === create_flow.id ? 'unchanged' : 'new-version', idempotency_key: key,
    };
  }

  async listFlows(options: ListFlowsOptions = {}): Promise<FlowInfo[]> {
    const where: Where = {};
    if (options.name) where.name = { _eq: options.name };
    if (options.project) where.project = { name: { _eq: options.project } };
    if (options.version !== undefined) where.version = { _eq: options.version };
    else if (!options.allVersions) where.archived = { _eq: false };
    return this.flows(where, options.limit);
  }

  /** Creates a run of the newest version of `flowName` in `project` (or of `flowId`). */
  async createFlowRun(options: CreateFlowRunOptions): Promise<FlowRunInfo> {
    const flow = await this.resolveFlow(options);
    const parameters = options.parameters ?? {};
    checkParameters(flow, parameters);
    const input: Where = { flow_id: flow.id, parameters };
    if (options.labels?.length) input.labels = options.labels;
    if (options.runName) input.flow_run_name = options.runName;
    if (options.scheduledStartTime) input.scheduled_start_time = options.scheduledStartTime;
    if (options.idempotencyKey) input.idempotency_key = options.idempotencyKey;
    const { create_flow_run } = await this.request<{ create_flow_run: { id: string } }>(doc.CREATE_FLOW_RUN, { input });
    return this.getFlowRun(create_flow_run.id);
  }

  async getFlowRun(id: string): Promise<FlowRunInfo> {
    const [run] = await this.flowRuns({ id: { _eq: id } }, 1);
    if (!run) throw notFound(`Flow run ${id} not found`, ['list runs with `prefect get flow-runs`']);
    return run;
  }

  async listFlowRuns(options: ListFlowRunsOptions = {}): Promise<FlowRunInfo[]> {
    const where: Where = {};
    const flow: Where = {};
    if (options.flowName) flow.name = { _eq: options.flowName };
    if (options.project) flow.project = { name: { _eq: options.project } };
    if (Object.keys(flow).length) where.flow = flow;
    if (options.states?.length) where.state = { _in: options.states };
    return this.flowRuns(where, options.limit);
  }

  /** States and logs of a run as they happen, ending with a `finished` event. */
  watchFlowRun(id: string, options: WatchOptions = {}): AsyncGenerator<WatchEvent> {
    return watchFlowRun(this, id, options);
  }

  async cancelFlowRun(id: string): Promise<CancelFlowRunResult> {
    const { cancel_flow_run } = await this.request<{ cancel_flow_run: { state: string } }>(doc.CANCEL_FLOW_RUN, { input: { flow_run_id: id } });
    return { id, state: cancel_flow_run.state };
  }

  /** A run's logs, oldest first. */
  async logs(options: LogsOptions): Promise<LogEntry[]> {
    let runId = options.flowRunId;
    if (!runId && options.flowRunName) {
      const [run] = await this.flowRuns({ name: { _eq: options.flowRunName } }, 1);
      if (!run) throw notFound(`No flow run named "${options.flowRunName}"`, ['list runs with `prefect get flow-runs`']);
      runId = run.id;
    }
    if (!runId) throw new UsageError('Name a flow run by id or name', { code: 'MISSING_FLOW_RUN', suggestions: ['pass --id ID or --name NAME'] });
    return this.logsSince(runId, undefined, options.limit);
  }

  /** Logs of a run created at or after `since` (ISO), oldest first. */
  async logsSince(flowRunId: string, since: string | undefined, limit?: number): Promise<LogEntry[] & { lastCreated?: string }> {
    const where: Where = { flow_run_id: { _eq: flowRunId } };
    if (since) where.created = { _gte: since };
    const query = listQuery('log', doc.LOG_FIELDS, { where, orderBy: [{ timestamp: 'asc' }, { created: 'asc' }], limit });
    const { log } = await this.request<{ log: doc.RawLog[] }>(query);
    const out = log.map(toLog) as LogEntry[] & { lastCreated?: string };
    out.lastCreated = log.reduce<string | undefined>((max, l) => (max === undefined || l.created > max ? l.created : max), undefined);
    return out;
  }

  /** Requests; the server's NOT_FOUND and BAD_USER_INPUT answers are usage errors (exit 2), not outages. */
  private async request<T>(document: string, variables?: Record<string, unknown>): Promise<T> {
    try {
      return await this.transport.request<T>(document, variables);
    } catch (error) {
      if (error instanceof ControlPlaneError && (error.graphqlCode === 'NOT_FOUND' || error.graphqlCode === 'BAD_USER_INPUT')) {
        throw new UsageError(error.message, { code: error.graphqlCode, cause: error });
      }
      throw error;
    }
  }

  private async flows(where: Where, limit?: number): Promise<FlowInfo[]> {
    const query = listQuery('flow', doc.FLOW_FIELDS, { where, orderBy: [{ name: 'asc' }, { version: 'desc' }], limit });
    const { flow } = await this.request<{ flow: doc.RawFlow[] }>(query);
    return flow.map(toFlow);
  }

  private async flowRuns(where: Where, limit?: number): Promise<FlowRunInfo[]> {
    const query = listQuery('flow_run', doc.RUN_FIELDS, { where, orderBy: [{ created: 'desc' }], limit });
    const { flow_run } = await this.request<{ flow_run: doc.RawFlowRun[] }>(query);
    return flow_run.map(toRun);
  }

  private async requireProject(name: string): Promise<ProjectInfo> {
    const project = await this.findProject(name);
    if (!project) throw notFound(`Project "${name}" not found`, [`create it with \`prefect create project ${JSON.stringify(name)}\``]);
    return project;
  }

  private async resolveFlow(options: CreateFlowRunOptions): Promise<FlowInfo> {
    if (options.flowId) {
      const [flow] = await this.flows({ id: { _eq: options.flowId } }, 1);
      if (!flow) throw notFound(`Flow ${options.flowId} not found`, ['list flows with `prefect get flows`']);
      return flow;
    }
    if (!options.flowName) throw new UsageError('Name the flow to run', { code: 'MISSING_FLOW', suggestions: ['pass --name NAME --project PROJECT, or --id FLOW_ID'] });
    const where: Where = { name: { _eq: options.flowName }, archived: { _eq: false } };
    if (options.project) where.project = { name: { _eq: options.project } };
    const flows = await this.flows(where);
    const projects = [...new Set(flows.map((f) => f.project))];
    if (!flows.length) {
      throw notFound(`No flow named "${options.flowName}"${options.project ? ` in project "${options.project}"` : ''}`, ['register it with `prefect register --project P --path FILE`', 'list flows with `prefect get flows`']);
    }
    if (projects.length > 1) {
      throw new UsageError(`Flow "${options.flowName}" exists in several projects (${projects.join(', ')})`, { code: 'AMBIGUOUS_FLOW', suggestions: ['pass --project'] });
    }
    return flows[0];
  }
}

/** Required parameters must be given; unknown ones are refused (both before anything is created). */
function checkParameters(flow: FlowInfo, parameters: Record<string, unknown>): void {
  const known = new Set(flow.parameters.map((p) => p.name));
  const unknown = Object.keys(parameters).filter((k) => !known.has(k));
  const missing = flow.parameters.filter((p) => p.required && !(p.name in parameters)).map((p) => p.name);
  const issues = [
    ...unknown.map((k) => `unknown parameter "${k}"`),
    ...missing.map((k) => `required parameter "${k}" not given`),
  ];
  if (issues.length) {
    const accepted = flow.parameters.length ? `flow "${flow.name}" takes: ${flow.parameters.map((p) => `${p.name}${p.required ? ' (required)' : ''}`).join(', ')}` : `flow "${flow.name}" takes no parameters`;
    throw new UsageError(`Invalid parameters for flow "${flow.name}": ${issues.join('; ')}`, { code: 'INVALID_PARAMETERS', suggestions: [accepted] });
  }
}
