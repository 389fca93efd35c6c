/**
 * `node module-runner.js <module path> [export name]`: imports the module (ESM or CommonJS,
 * `.js` / `.mjs` / `.cjs`), calls the named export with the flow run's parameters (from
 * PREFECT__CONTEXT__PARAMETERS) and waits for it. A thrown error exits 1 with its message on
 * stderr. This file runs as the flow run's process, not inside the agent.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Callable = (parameters: Record<string, unknown>) => unknown;

function pickExport(mod: Record<string, unknown>, name: string): Callable | undefined {
  const direct = mod[name];
  if (typeof direct === 'function') return direct as Callable;
  const cjs = mod.default as Record<string, unknown> | ((...a: unknown[]) => unknown) | undefined;
  if (name !== 'default' && cjs && typeof cjs === 'object' && typeof cjs[name] === 'function') return cjs[name] as Callable;
  if (name === 'default' && cjs && typeof cjs === 'object' && typeof (cjs as Record<string, unknown>).default === 'function') {
    return (cjs as Record<string, unknown>).default as Callable;
  }
  return undefined;
}

async function main(): Promise<void> {
  const [modulePath, exportName = 'default'] = process.argv.slice(2);
  if (!modulePath) throw new Error('usage: module-runner <module path> [export name]');
  const raw = process.env.PREFECT__CONTEXT__PARAMETERS;
  const parameters = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const mod = (await import(pathToFileURL(path.resolve(modulePath)).href)) as Record<string, unknown>;
  const fn = pickExport(mod, exportName);
  if (!fn) throw new Error(`${modulePath} has no exported function \`${exportName}\``);
  await fn(parameters);
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
