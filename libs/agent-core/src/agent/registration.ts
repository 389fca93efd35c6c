import { ControlPlaneError } from '../errors.js';
import type { AgentApi } from '../control-plane/agent-api.js';
import type { Logger } from '../logging/logger.js';

export interface Registration {
  agentId: string;
  tenantId: string;
  features: string[];
  agentConfig?: Record<string, unknown>;
}

export interface RegistrationInput {
  name: string;
  labels: string[];
  tenantId?: string;
  agentConfigId?: string;
  /** A key was given: the tenant comes from `auth_info` (else the first tenant, Prefect Server). */
  hasKey: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Prefect's tenant resolution (prefect1-agent.md §1.3). */
export async function resolveTenant(api: AgentApi, input: RegistrationInput): Promise<string> {
  if (input.tenantId) return input.tenantId;
  const tenant = (input.hasKey ? await api.authInfoTenant().catch(() => null) : null) ?? (await api.firstTenant());
  if (!tenant) {
    throw new ControlPlaneError(`The API at ${api.api} has no tenant`, {
      code: 'NO_TENANT',
      suggestions: ['create one with `prefect server create-tenant --name default`', 'or pass --tenant-id'],
    });
  }
  return tenant;
}

function unknownConfig(id: string, cause?: unknown): ControlPlaneError {
  return new ControlPlaneError(`Unknown agent config ${id}: the API has no agent_config with this id for this tenant`, {
    code: 'UNKNOWN_AGENT_CONFIG',
    cause,
    suggestions: ['check the id with `prefect agent config list` or in the UI', 'or start without --agent-config-id'],
  });
}

/** Tenant → register (`LocalAgent`) → agent config check → server features. */
export async function register(api: AgentApi, input: RegistrationInput, logger: Logger): Promise<Registration> {
  if (input.agentConfigId && !UUID.test(input.agentConfigId)) throw unknownConfig(input.agentConfigId);
  const tenantId = await resolveTenant(api, input);
  api.transport.setTenantId(tenantId);
  logger.info(`Registering agent${input.agentConfigId ? ` with config ${input.agentConfigId}` : ''}...`);
  let agentId: string;
  try {
    agentId = await api.registerAgent({ type: 'LocalAgent', name: input.name, labels: input.labels, tenant_id: tenantId, agent_config_id: input.agentConfigId ?? null });
  } catch (error) {
    const code = error instanceof ControlPlaneError ? error.graphqlCode : undefined;
    if (input.agentConfigId && (code === 'NOT_FOUND' || code === 'BAD_USER_INPUT')) throw unknownConfig(input.agentConfigId, error);
    throw error;
  }
  if (!agentId) throw new ControlPlaneError('Error registering agent: the API returned no id', { code: 'REGISTRATION_FAILED' });
  api.transport.setAgentId(agentId);
  logger.info('Registration successful!');
  logger.debug(`Assigned agent id: ${agentId}`);
  let agentConfig: Record<string, unknown> | undefined;
  if (input.agentConfigId) {
    agentConfig = await api.agentConfigSettings(input.agentConfigId);
    if (!agentConfig) throw unknownConfig(input.agentConfigId);
    logger.debug(`Agent config settings: ${JSON.stringify(agentConfig)}`);
  }
  await api.hello();
  const features = await api.features();
  return { agentId, tenantId, features, agentConfig };
}
