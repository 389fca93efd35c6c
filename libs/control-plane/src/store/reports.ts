import { ControlPlaneError } from '../errors.js';
import { insertLogs } from './catalog.js';
import type { StoreDriver } from './driver.js';
import { applyStateUpdate, loadRuns } from './runs.js';
import type { LogInput, ReportedState, Scope, StateUpdate } from './store.js';

/** Why one state of a report may be refused without failing the others. */
const REFUSALS = new Set(['VERSION_LOCKING_ERROR', 'NOT_FOUND', 'BAD_USER_INPUT']);

/**
 * `report_flow_runs`: an agent's logs and the state updates of several runs in one transaction,
 * so one commit (one WAL flush on PostgreSQL) for all of them. Logs are written first (a log of a
 * run that no longer exists is left out); each state is checked and applied as
 * `set_flow_run_states` would, and one that is refused (stale version, finished run, unknown run
 * or state) is reported as FAILED while the others still apply. Any other error fails the whole
 * report and nothing is written.
 */
export async function reportFlowRuns(d: StoreDriver, logs: LogInput[], updates: StateUpdate[], scope: Scope, agentId: string | null | undefined, emit: (tenantId: string) => void): Promise<ReportedState[]> {
  const rescheduled = new Set<string>();
  const results = await d.write(async (db) => {
    await insertLogs(db, logs, scope, true);
    const runs = await loadRuns(db, updates.map((u) => u.flowRunId), scope);
    const out: ReportedState[] = [];
    for (const u of updates) {
      try {
        const applied = await applyStateUpdate(db, u, scope, agentId, runs);
        if (applied.scheduled) rescheduled.add(applied.tenantId);
        out.push({ id: u.flowRunId, status: 'SUCCESS', code: null, message: null });
      } catch (error) {
        if (!(error instanceof ControlPlaneError) || !REFUSALS.has(error.code)) throw error;
        out.push({ id: u.flowRunId, status: 'FAILED', code: error.code, message: error.message });
      }
    }
    return out;
  });
  for (const tenantId of rescheduled) emit(tenantId); // after the commit: claims must see the runs
  return results;
}
