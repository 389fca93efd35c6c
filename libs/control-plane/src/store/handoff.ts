import { agentMayTakeRun } from '../labels.js';
import type { Row } from './tables.js';

/** An agent waiting in a claim_flow_runs long poll whose last claim found nothing due. */
export interface Waiter {
  tenantId: string;
  agentId: string;
  labels: readonly string[];
  leaseSeconds: number;
}

/** A waiter's offer to take a new run directly. */
export interface Offer {
  /** Resolves with the runs handed over: [] when a hand-off began but did not complete. */
  readonly taken: Promise<Row[]>;
  /**
   * Withdraws the offer; false when a hand-off has already begun, in which case `taken` says
   * how it ended (and a run it holds is this waiter's to answer with).
   */
  withdraw(): boolean;
}

interface Entry {
  waiter: Waiter;
  settle: (rows: Row[]) => void;
}

/**
 * The hand-off desk of one replica. A run created while an agent waits with nothing to do is
 * inserted already claimed by that agent and handed to its long poll: one statement and one
 * commit instead of an insert, a wake-up and a claim. Waiters are served oldest first; a waiter
 * is only registered after a claim found nothing, and every run other than the new one still
 * goes through claims, so queue order and the label rule hold as for any claim. All of this is
 * synchronous JavaScript on one event loop, so no two runs can be handed to one waiter.
 */
export class HandoffDesk {
  private readonly entries: Entry[] = [];

  offer(waiter: Waiter): Offer {
    let settle!: (rows: Row[]) => void;
    const taken = new Promise<Row[]>((resolve) => (settle = resolve));
    const entry: Entry = { waiter, settle };
    this.entries.push(entry);
    return {
      taken,
      withdraw: () => {
        const i = this.entries.indexOf(entry);
        if (i < 0) return false;
        this.entries.splice(i, 1);
        return true;
      },
    };
  }

  /**
   * Takes the oldest waiter of `tenantId` that may run a run labelled `labels` off the desk; the
   * caller must `settle` it with the claimed run, or with [] if the hand-off did not happen.
   */
  pick(tenantId: string, labels: readonly string[]): { waiter: Waiter; settle: (rows: Row[]) => void } | undefined {
    const i = this.entries.findIndex((e) => e.waiter.tenantId === tenantId && agentMayTakeRun(e.waiter.labels, labels));
    if (i < 0) return undefined;
    return this.entries.splice(i, 1)[0];
  }

  get size(): number {
    return this.entries.length;
  }
}
