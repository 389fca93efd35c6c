import { existsSync, statSync } from 'node:fs';
import { AgentError } from '../errors.js';
import { moduleRunnerPath } from '../runner/runner-path.js';
import { asRecord, type FlowRunMetadata } from './flow-run.js';

/** What to start for a flow run. */
export interface RunPlan {
  file: string;
  args: string[];
  cwd?: string;
  runConfigEnv: Record<string, string>;
}

/** A run that cannot be started as configured: it is marked Failed with this message. */
export class RunSetupError extends AgentError {
  constructor(message: string, code: string) {
    super(message, { code });
  }
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(value) ?? {})) if (v !== null && v !== undefined) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

function commandFor(run: FlowRunMetadata): { file: string; args: string[] } {
  const storage = asRecord(run.flow.storage);
  const type = typeof storage?.type === 'string' ? storage.type : undefined;
  if (type === 'Command') {
    const argv = storage?.argv;
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) {
      throw new RunSetupError(`Flow run ${run.id} has Command storage without a non-empty \`argv\` list of strings`, 'INVALID_STORAGE');
    }
    return { file: argv[0] as string, args: argv.slice(1) as string[] };
  }
  if (type === 'Module') {
    if (typeof storage?.path !== 'string' || storage.path === '') {
      throw new RunSetupError(`Flow run ${run.id} has Module storage without a \`path\``, 'INVALID_STORAGE');
    }
    const exportName = typeof storage.export === 'string' && storage.export ? storage.export : 'default';
    return { file: process.execPath, args: [moduleRunnerPath(), storage.path, exportName] };
  }
  throw new RunSetupError(`Unsupported Storage type: ${type ?? JSON.stringify(storage ?? null)} (the local agent runs Command and Module storage)`, 'UNSUPPORTED_STORAGE');
}

/**
 * Storage and run config → the process to start. LocalRun and UniversalRun (treated as a
 * LocalRun with its env) are supported; a missing run config means a default LocalRun.
 */
export function planRun(run: FlowRunMetadata): RunPlan {
  const runConfig = asRecord(run.run_config) ?? asRecord(run.flow.run_config);
  const type = runConfig?.type ?? 'LocalRun';
  if (type !== 'LocalRun' && type !== 'UniversalRun') {
    throw new RunSetupError(`Flow run ${run.id} has a \`run_config\` of type \`${String(type)}\`, only \`LocalRun\` is supported`, 'UNSUPPORTED_RUN_CONFIG');
  }
  const command = commandFor(run);
  const workingDir = type === 'LocalRun' && typeof runConfig?.working_dir === 'string' && runConfig.working_dir ? runConfig.working_dir : undefined;
  if (workingDir && !(existsSync(workingDir) && statSync(workingDir).isDirectory())) {
    throw new RunSetupError(`Flow run ${run.id} has a nonexistent \`working_dir\` configured: ${workingDir}`, 'MISSING_WORKING_DIR');
  }
  return { ...command, cwd: workingDir, runConfigEnv: stringRecord(runConfig?.env) };
}
