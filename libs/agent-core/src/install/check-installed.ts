import { readFileSync } from 'node:fs';
import {
  expandPercent,
  loadPlist,
  parseEnvFile,
  parseEnvironmentValue,
  parseExecLine,
  parsePathValue,
  parseSupervisordConf,
  parseSupervisordEnvironment,
  parseUnitFile,
  shlexSplit,
  type RenderResult,
  type ServiceSpec,
} from '@prefect-ts/install-templates';

export interface DriftEntry {
  /** `[program:prefect-agent] command`, `[Service] ExecStart`, `EnvironmentVariables.PATH`. */
  location: string;
  installed?: string;
  expected?: string;
}

export interface CheckResult {
  file: string;
  drifted: boolean;
  entries: DriftEntry[];
  /** Unified-style diff lines (`-` installed, `+` expected); secret values masked. */
  diff: string[];
}

type Flat = Map<string, string>;
const API_KEY_ENV = 'PREFECT__CLOUD__API_KEY';
const MASK = '<secret>';

/** Compares an installed file with what the flags render now, by meaning (parsed values), not bytes. */
export async function checkInstalled(file: string, expected: RenderResult, spec: ServiceSpec): Promise<CheckResult> {
  const installedText = readFileSync(file, 'utf8');
  const expectedText = expected.files.find((f) => f.role === 'main')!.content;
  const secrets = new Set(Object.values(spec.secretEnv));
  const secretKeys = new Set([...Object.keys(spec.secretEnv), API_KEY_ENV]);
  let installed: Flat;
  let wanted: Flat;
  try {
    installed = await flatten(expected.format, installedText, file);
  } catch (error) {
    installed = new Map([['(file)', `unreadable: ${(error as Error).message}`]]);
  }
  wanted = await flatten(expected.format, expectedText, file);
  if (expected.format === 'systemd') {
    const envFile = expected.files.find((f) => f.role === 'env');
    if (envFile) wanted = merge(wanted, envFileFlat(envFile.content));
    const path = installed.get('[Service] EnvironmentFile');
    if (path) {
      try {
        installed = merge(installed, envFileFlat(readFileSync(path, 'utf8')));
      } catch (error) {
        installed.set('(env file)', `unreadable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }
  }
  const entries: DriftEntry[] = [];
  for (const key of [...new Set([...wanted.keys(), ...installed.keys()])]) {
    const a = installed.get(key);
    const b = wanted.get(key);
    if (a === b) continue;
    const secret = [...secretKeys].some((k) => key.endsWith(` ${k}`) || key.endsWith(`.${k}`));
    entries.push(
      secret
        ? { location: key, installed: a === undefined ? undefined : `${MASK} (differs)`, expected: b === undefined ? undefined : MASK }
        : { location: key, installed: mask(a, secrets), expected: mask(b, secrets) },
    );
  }
  const diff = entries.length ? [`--- ${file} (installed)`, '+++ rendered from the given flags', ...entries.flatMap(diffLines)] : [];
  return { file, drifted: entries.length > 0, entries, diff };
}

function diffLines(e: DriftEntry): string[] {
  return [`@@ ${e.location}`, ...(e.installed !== undefined ? [`- ${e.installed}`] : []), ...(e.expected !== undefined ? [`+ ${e.expected}`] : [])];
}

function mask(value: string | undefined, secrets: Set<string>): string | undefined {
  if (value === undefined) return undefined;
  let out = value;
  for (const s of secrets) if (s) out = out.split(JSON.stringify(s).slice(1, -1)).join(MASK).split(s).join(MASK);
  return out;
}

const merge = (a: Flat, b: Flat): Flat => new Map([...a, ...b]);

function envFileFlat(text: string): Flat {
  return new Map(Object.entries(parseEnvFile(text)).map(([k, v]) => [`(env file) ${k}`, JSON.stringify(v)]));
}

async function flatten(format: RenderResult['format'], text: string, file: string): Promise<Flat> {
  if (format === 'supervisord') return supervisordFlat(text);
  if (format === 'systemd') return systemdFlat(text);
  return launchdFlat(text, file);
}

function supervisordFlat(text: string): Flat {
  const out: Flat = new Map();
  for (const [section, values] of Object.entries(parseSupervisordConf(text))) {
    for (const [key, raw] of Object.entries(values)) {
      const at = `[${section}] ${key}`;
      const value = String(raw);
      if (key === 'command') out.set(at, JSON.stringify(shlexSplit(expandPercent(value))));
      else if (key === 'environment') {
        for (const [k, v] of Object.entries(parseSupervisordEnvironment(expandPercent(value)))) out.set(`${at} ${k}`, JSON.stringify(v));
      } else out.set(at, value.includes('%(') ? value : expandPercent(value));
    }
  }
  return out;
}

function systemdFlat(text: string): Flat {
  const out: Flat = new Map();
  const multi = new Map<string, string[]>();
  for (const { section, key, value } of parseUnitFile(text)) {
    const at = `[${section}] ${key}`;
    if (key === 'ExecStart') out.set(at, JSON.stringify(parseExecLine(value)));
    else if (key === 'Environment') {
      for (const [k, v] of Object.entries(parseEnvironmentValue(value))) out.set(`${at} ${k}`, JSON.stringify(v));
    } else if (key === 'WorkingDirectory' || key === 'EnvironmentFile') out.set(at, parsePathValue(value));
    else multi.set(at, [...(multi.get(at) ?? []), value]);
  }
  for (const [k, v] of multi) out.set(k, v.join(' | '));
  return out;
}

async function launchdFlat(text: string, file: string): Promise<Flat> {
  const dict = (await loadPlist()).parse(text) as Record<string, unknown>;
  if (!dict || typeof dict !== 'object' || Array.isArray(dict)) throw new Error(`${file} is not a plist dictionary`);
  const out: Flat = new Map();
  for (const [key, value] of Object.entries(dict)) {
    if (key === 'EnvironmentVariables' && value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) out.set(`EnvironmentVariables.${k}`, JSON.stringify(v));
    } else out.set(key, JSON.stringify(value));
  }
  return out;
}
