import path from 'node:path';
import { Api } from './api';
import { Ledger } from './ledger';
import { newStore, startAgent, startServer, type AgentProc, type ServerProc, type StoreKind } from './processes';
import { SPAWN_STAMP_ENV } from './spawn-stamp';

/** The compiled spawn-stamp module, preloaded with `--require` (also when the bench runs from src under Jest). */
export const SPAWN_STAMP_MODULE = path.resolve(__dirname, '../../dist/harness/spawn-stamp.js');

/**
 * The real agent with harness/spawn-stamp preloaded: it appends `spawned` and `exited` lines for
 * every flow run's child to `ledger` (plus whatever else `env` switches on, e.g. the loop-delay
 * histogram).
 */
export function startStampedAgent(api: string, ledger: Ledger, env: NodeJS.ProcessEnv = {}): Promise<AgentProc> {
  return startAgent(api, [], { NODE_OPTIONS: `--require ${SPAWN_STAMP_MODULE}`, [SPAWN_STAMP_ENV]: ledger.file, ...env });
}

export interface StampedRig {
  api: Api;
  ledger: Ledger;
  /** A flow whose runs append their `start` line to the ledger (`ledger.argv()`). */
  flowId: string;
}

/**
 * A fresh store, a server on it and a stamped agent, idle in its long poll; `fn` runs against
 * them and everything is stopped and removed afterwards, whatever `fn` did.
 */
export async function withStampedRig<T>(kind: StoreKind, fn: (rig: StampedRig) => Promise<T>): Promise<T> {
  const store = await newStore(kind);
  let server: ServerProc | undefined;
  let agent: AgentProc | undefined;
  try {
    server = await startServer(store);
    const ledger = new Ledger();
    agent = await startStampedAgent(server.url, ledger);
    const api = new Api(server.url);
    const flowId = await api.createFlow(ledger.argv());
    return await fn({ api, ledger, flowId });
  } finally {
    await agent?.stop('SIGTERM');
    await server?.stop('SIGTERM');
    await store.dispose();
  }
}
