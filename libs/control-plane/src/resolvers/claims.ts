import type { Row } from '../store/tables.js';
import { isoNow } from '../time.js';
import type { RequestContext } from './context.js';

export interface ClaimRequest {
  tenantId: string;
  agentId: string;
  labels: string[];
  limit: number;
  waitSeconds: number;
}

/** An agent waiting in `claim_flow_runs` has its `last_queried` refreshed this often. */
export const LAST_QUERIED_REFRESH_MS = 5000;

/**
 * Claims due runs; when none is due, waits (up to `waitSeconds`) for a wake-up (a new or
 * rescheduled run, here or on another replica) or for the next scheduled start, then retries.
 * The listener is attached before each attempt so no wake-up can fall between the two. While it
 * waits, a run created on this replica that the agent may take is handed to it already claimed
 * (store/handoff.ts) and is the answer.
 */
export async function claimWithWait(ctx: RequestContext, req: ClaimRequest): Promise<Row[]> {
  const { store } = ctx.rt;
  const deadline = Date.now() + req.waitSeconds * 1000;
  const closing = ctx.rt.closing;
  for (;;) {
    let wake!: () => void;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const off = store.onRunsAvailable((tenantId) => {
      if (tenantId === req.tenantId || tenantId === '*') wake();
    });
    const onAbort = (): void => wake();
    ctx.signal.addEventListener('abort', onAbort);
    closing.addEventListener('abort', onAbort);
    let timer: NodeJS.Timeout | undefined;
    try {
      if (ctx.signal.aborted) return [];
      const runs = await store.claimFlowRuns({ tenantId: req.tenantId, agentId: req.agentId, labels: req.labels, limit: req.limit, leaseSeconds: ctx.rt.leaseSeconds });
      if (runs.length > 0 || Date.now() >= deadline || closing.aborted) return runs;
      const next = await store.nextDueTime(req.tenantId, isoNow());
      // at least every LAST_QUERIED_REFRESH_MS the claim is retried, which also refreshes the
      // agent's last_queried: an agent waiting in a long poll is querying for work (agent SLAs)
      const until = Math.min(deadline, next ? Date.parse(next) + 1 : Infinity, Date.now() + LAST_QUERIED_REFRESH_MS);
      timer = setTimeout(wake, Math.max(0, until - Date.now()));
      // a run created from now on may be handed to this poll directly (store/handoff.ts); one
      // created between the claim and here woke `woken` through the listener above
      const offer = store.offerToTake({ tenantId: req.tenantId, agentId: req.agentId, labels: req.labels, leaseSeconds: ctx.rt.leaseSeconds });
      const handed = await Promise.race([woken.then(() => undefined), offer.taken]);
      if (handed?.length) return handed;
      // woken (or a hand-off that did not complete): withdraw, unless a hand-off has begun,
      // in which case its run is this poll's to answer with
      if (!offer.withdraw()) {
        const rows = await offer.taken;
        if (rows.length > 0) return rows;
      }
    } finally {
      off();
      ctx.signal.removeEventListener('abort', onAbort);
      closing.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    }
  }
}
