import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { ConfigError } from '../errors.js';

export interface ConfigFile {
  path: string;
  data: Record<string, unknown>;
}

/** `PREFECT__USER_CONFIG_PATH`, else `~/.prefect/config.toml`. */
export function configFilePath(env: NodeJS.ProcessEnv, home = homedir()): { path: string; explicit: boolean } {
  const fromEnv = env.PREFECT__USER_CONFIG_PATH;
  if (fromEnv) return { path: fromEnv.replace(/^~(?=$|\/)/, home), explicit: true };
  return { path: join(home, '.prefect', 'config.toml'), explicit: false };
}

/**
 * Reads and parses the user config file. A missing default file is fine (returns undefined); a
 * missing file named by PREFECT__USER_CONFIG_PATH, an unreadable file or bad TOML is a ConfigError.
 */
export function readConfigFile(location: { path: string; explicit: boolean }): ConfigFile | undefined {
  const { path, explicit } = location;
  let text: string;
  try {
    if (statSync(path).isDirectory()) {
      throw new ConfigError(`Config file ${path} is a directory, not a TOML file`, {
        code: 'CONFIG_FILE_UNREADABLE',
        suggestions: [`point PREFECT__USER_CONFIG_PATH at a file, or remove the directory ${path}`],
      });
    }
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return undefined;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError(`Config file ${path} ${why}`, {
      code: 'CONFIG_FILE_UNREADABLE',
      cause: error,
      suggestions: explicit
        ? [`fix or unset PREFECT__USER_CONFIG_PATH (now "${path}")`]
        : [`fix the permissions of ${path}, or move it away`],
    });
  }
  try {
    return { path, data: parseToml(text) as Record<string, unknown> };
  } catch (error) {
    if (error instanceof TomlError) {
      const first = error.message.split('\n')[0];
      throw new ConfigError(`Config file ${path}:${error.line}:${error.column}: invalid TOML: ${first}`, {
        code: 'CONFIG_FILE_INVALID',
        cause: error,
        suggestions: [`fix line ${error.line}, column ${error.column} of ${path} (TOML syntax: https://toml.io)`],
      });
    }
    throw error;
  }
}

/** `getPath(data, 'cloud.agent.labels')`. */
export function getPath(data: Record<string, unknown>, dotted: string): unknown {
  let node: unknown = data;
  for (const part of dotted.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}
