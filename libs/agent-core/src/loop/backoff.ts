/** Prefect 1's poll intervals by idle-poll index (prefect1-agent.md §1.5). */
export const PREFECT_LOOP_INTERVALS = [0.25, 0.5, 1, 2, 4, 8, 10] as const;

/** Next index: back to 0 after a poll that found work, else one step slower up to the cap. */
export function nextLoopIndex(index: number, foundWork: boolean): number {
  return foundWork ? 0 : Math.min(index + 1, PREFECT_LOOP_INTERVALS.length - 1);
}

export const loopIntervalMs = (index: number): number => PREFECT_LOOP_INTERVALS[Math.min(index, PREFECT_LOOP_INTERVALS.length - 1)] * 1000;

export interface JitteredBackoffOptions {
  baseMs: number;
  capMs: number;
  /** Fraction of the delay that is randomised (0.5 = between 50 % and 100 % of it). */
  jitter?: number;
  random?: () => number;
}

/** Capped exponential backoff with jitter: attempt 0 waits about baseMs, never more than capMs. */
export function jitteredDelay(attempt: number, options: JitteredBackoffOptions): number {
  const exp = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  const jitter = options.jitter ?? 0.5;
  const random = options.random ?? Math.random;
  return Math.round(exp * (1 - jitter + jitter * random()));
}
