/**
 * A flow is data (DESIGN.md): the `serialized_flow` sent to `create_flow`. These are the fields
 * prefect-ts reads; any other top-level field (Prefect's own, `description`, ...) is kept as is.
 */

/** Run `argv` directly (no shell). */
export interface CommandStorage {
  type: 'Command';
  argv: string[];
}

/** Run a JavaScript module's export with the flow run's parameters (path absolute once registered). */
export interface ModuleStorage {
  type: 'Module';
  path: string;
  /** Name of the export to call. @defaultValue 'default' */
  export?: string;
}

export type FlowStorage = CommandStorage | ModuleStorage;

export interface FlowRunConfig {
  type: 'LocalRun' | 'UniversalRun';
  env?: Record<string, string>;
  working_dir?: string;
  labels?: string[];
}

export interface FlowParameter {
  name: string;
  default?: unknown;
  required?: boolean;
}

export interface FlowSpec {
  name: string;
  storage: FlowStorage;
  run_config?: FlowRunConfig;
  parameters?: FlowParameter[];
  [extra: string]: unknown;
}

export const STORAGE_TYPES = ['Command', 'Module'] as const;
export const RUN_CONFIG_TYPES = ['LocalRun', 'UniversalRun'] as const;
/** File extensions `prefect register --path DIR` picks up. */
export const FLOW_FILE_EXTENSIONS = ['.yaml', '.yml', '.json'] as const;
