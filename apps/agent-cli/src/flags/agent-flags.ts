import { Flags, type Interfaces } from '@oclif/core';
import { AGENT_OPTIONS, type AgentOptionDef, type AgentStartFlags } from '@prefect-ts/agent-core/core';
import { parseSeconds } from './start-argv.js';

// oclif's flag types are precise per kind; the option model is data, so the record is loose here
// and `toStartFlags` gives the typed view back.
type AnyFlag = ReturnType<typeof Flags.string> | ReturnType<typeof Flags.boolean>;

function describe(def: AgentOptionDef): string {
  const extra = def.choices ? ` One of ${def.choices.join(', ')} (any case).` : '';
  return def.description + extra;
}

function toFlag(def: AgentOptionDef): AnyFlag {
  const common = {
    char: def.char as never,
    summary: describe(def),
    helpGroup: def.group.toUpperCase(),
    hidden: def.hidden,
    defaultHelp: def.defaultHelp ? async () => def.defaultHelp : undefined,
  };
  if (def.kind === 'boolean') return Flags.boolean({ ...common, allowNo: def.allowNo });
  if (def.kind === 'integer') return Flags.integer({ ...common }) as unknown as AnyFlag;
  if (def.kind === 'number') {
    return Flags.custom<number>({
      ...common,
      helpValue: '<seconds>',
      parse: async (input) => parseSeconds(input),
    })() as unknown as AnyFlag;
  }
  return Flags.string({
    ...common,
    multiple: def.multiple ? true : undefined,
    helpValue: def.choices ? def.choices.join('|') : undefined,
  } as never) as AnyFlag;
}

/** The oclif flags of `agent local start`, generated from the option model. */
export function agentStartFlags(): Interfaces.FlagInput {
  const flags: Record<string, AnyFlag> = {};
  for (const def of AGENT_OPTIONS) flags[def.flag] = toFlag(def);
  return flags as unknown as Interfaces.FlagInput;
}

/** oclif's parsed flags (kebab-case keys) to the option model's AgentStartFlags. */
export function toStartFlags(parsed: Record<string, unknown>): AgentStartFlags {
  const out: Record<string, unknown> = {};
  for (const def of AGENT_OPTIONS) {
    const value = parsed[def.flag];
    if (value !== undefined) out[def.flagKey] = value;
  }
  return out as AgentStartFlags;
}

/** `--api/-a`, `--key/-k`, `--tenant-id`: for commands that talk to the API but are not agents. */
export function connectionFlags(): Interfaces.FlagInput {
  const flags: Record<string, AnyFlag> = {};
  for (const def of AGENT_OPTIONS) if (def.flagKey === 'api' || def.flagKey === 'key' || def.flagKey === 'tenantId') flags[def.flag] = toFlag(def);
  return flags as unknown as Interfaces.FlagInput;
}
