/** Prefect's finished states (docs/protocol.md); ClientFailed counts as Failed for a watcher. */
export const FINISHED_STATES = ['Success', 'Failed', 'Cancelled', 'Cached', 'Skipped', 'TimedOut', 'ClientFailed'] as const;
/** Finished states that count as success (exit 0 for `run --watch`). */
export const SUCCESS_STATES = ['Success', 'Cached', 'Skipped'] as const;

export const isFinished = (state: string): boolean => (FINISHED_STATES as readonly string[]).includes(state);
export const isSuccessful = (state: string): boolean => (SUCCESS_STATES as readonly string[]).includes(state);
