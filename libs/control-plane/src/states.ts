/** Prefect 1 state classes and the groups the control plane cares about. */
export const ALL_STATES = [
  'Scheduled', 'Submitted', 'Running', 'Success', 'Failed', 'Cancelling', 'Cancelled', 'Retrying',
  'Queued', 'Paused', 'Resume', 'Pending', 'ClientFailed', 'Cached', 'Skipped', 'TimedOut',
  'Looped', 'Mapped', 'Finished', 'TriggerFailed', 'ValidationFailed',
] as const;
export const SCHEDULED_STATES = ['Scheduled', 'Retrying', 'Queued', 'Paused', 'Resume'] as const;
export const FINISHED_STATES = [
  'Success', 'Failed', 'Cancelled', 'Cached', 'Skipped', 'TimedOut', 'Finished', 'TriggerFailed',
  'ValidationFailed', 'Looped', 'Mapped',
] as const;
export const LEASED_STATES = ['Submitted', 'Running', 'Cancelling'] as const;

const scheduled = new Set<string>(SCHEDULED_STATES);
const finished = new Set<string>(FINISHED_STATES);
const known = new Set<string>(ALL_STATES);

export const isScheduledState = (s: string): boolean => scheduled.has(s);
export const isFinishedState = (s: string): boolean => finished.has(s);
export const isKnownState = (s: string): boolean => known.has(s);

export const CORE_VERSION = '1.4.1';

export interface SerializedState {
  type: string;
  message?: string | null;
  start_time?: string;
  [key: string]: unknown;
}

/** A state in Prefect's serialized JSON shape. */
export function serializeState(type: string, message: string, extra: Record<string, unknown> = {}): SerializedState {
  return {
    type,
    message,
    context: {},
    cached_inputs: {},
    _result: { type: 'NoResultType', __version__: CORE_VERSION },
    __version__: CORE_VERSION,
    ...extra,
  };
}
