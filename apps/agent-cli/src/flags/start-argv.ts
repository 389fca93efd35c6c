import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AGENT_OPTIONS, type AgentOptionDef, type AgentStartFlags } from '@prefect-ts/agent-core/core';

// `agent local start` flags parsed without oclif, for the fast start in bin/run.js (see
// ../agent-start.ts). Loading oclif costs the long-running agent about 8 MB of RSS for a parse it
// does once, so plain command lines are parsed here, from the same option model (AGENT_OPTIONS)
// oclif's flags are built from. Anything else — help, --json, a parse or value error, an unknown
// or repeated flag, short-flag groups, `-a=value`/`-avalue`, empty or dash-leading values, extra
// arguments — gives `undefined`, and oclif parses the line as before: its behaviour and messages
// stay the reference. test/start-argv.test.ts checks every accepted line against oclif's parse.

/** `--stop-timeout`: a number of seconds, at least 0 (the oclif flag uses this parse too). */
export function parseSeconds(input: string): number {
  const n = Number(input);
  if (input.trim() === '' || !Number.isFinite(n) || n < 0) throw new Error(`Expected a number of seconds of at least 0 but received: ${input}`);
  return n;
}

type Options = NonNullable<ParseArgsConfig['options']>;

let options: Options | undefined;

/** node:util parseArgs options: each long flag, its char, and `no-<flag>` for allowNo booleans. */
function parseArgsOptions(): Options {
  if (options) return options;
  options = {};
  for (const def of AGENT_OPTIONS) {
    options[def.flag] = {
      type: def.kind === 'boolean' ? 'boolean' : 'string',
      ...(def.char ? { short: def.char } : {}),
      ...(def.multiple ? { multiple: true } : {}),
    };
    if (def.kind === 'boolean' && def.allowNo) options[`no-${def.flag}`] = { type: 'boolean' };
  }
  return options;
}

/** The option a parsed name belongs to, and the boolean value it means (`no-x` → x: false). */
function lookup(name: string): { def: AgentOptionDef; negated: boolean } | undefined {
  const def = AGENT_OPTIONS.find((d) => d.flag === name);
  if (def) return { def, negated: false };
  const positive = AGENT_OPTIONS.find((d) => d.allowNo && `no-${d.flag}` === name);
  return positive ? { def: positive, negated: true } : undefined;
}

/** A value as oclif's flag would give it, or undefined where oclif should decide (or reject). */
function convert(def: AgentOptionDef, raw: string): string | number | undefined {
  if (def.kind === 'integer') return /^-?\d+$/.test(raw) ? Number.parseInt(raw, 10) : undefined;
  if (def.kind === 'number') {
    try {
      return parseSeconds(raw);
    } catch {
      return undefined;
    }
  }
  return raw;
}

/**
 * The flags of a plain `agent local start` command line (argv after `start`), equal to what
 * oclif's parse and `toStartFlags` give; `undefined` when the line needs oclif.
 */
export function parseStartArgv(argv: readonly string[]): AgentStartFlags | undefined {
  let tokens;
  try {
    ({ tokens } = parseArgs({ args: [...argv], options: parseArgsOptions(), strict: true, allowPositionals: false, tokens: true }));
  } catch {
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const token of tokens) {
    if (token.kind !== 'option') return undefined; // a positional or `--`
    const found = lookup(token.name);
    if (!found) return undefined;
    const { def, negated } = found;
    // Only `--flag`, `--flag value`, `--flag=value`, `-c` and `-c value`.
    const arg = argv[token.index];
    const plain = arg === token.rawName || (token.inlineValue === true && token.rawName.startsWith('--') && arg === `${token.rawName}=${token.value}`);
    if (!plain) return undefined;
    if (def.kind === 'boolean') {
      if (out[def.flagKey] !== undefined) return undefined;
      out[def.flagKey] = !negated;
      continue;
    }
    const raw = token.value;
    if (raw === undefined || raw === '' || raw.startsWith('-')) return undefined;
    const value = convert(def, raw);
    if (value === undefined) return undefined;
    if (def.multiple) {
      out[def.flagKey] = [...((out[def.flagKey] as unknown[] | undefined) ?? []), value];
    } else {
      if (out[def.flagKey] !== undefined) return undefined;
      out[def.flagKey] = value;
    }
  }
  return out as AgentStartFlags;
}
