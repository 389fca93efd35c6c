import { CORE_VERSION } from '../control-plane/transport.js';

export type StateType = 'Scheduled' | 'Submitted' | 'Running' | 'Success' | 'Failed' | 'Cancelled';

const NO_RESULT = { type: 'NoResultType', __version__: CORE_VERSION };

/** Prefect 1's serialized state (docs/protocol.md "States"). */
export function serializedState(type: StateType, message: string, previous?: Record<string, unknown>): Record<string, unknown> {
  const state: Record<string, unknown> = {
    type,
    message,
    context: {},
    cached_inputs: {},
    _result: NO_RESULT,
    __version__: CORE_VERSION,
  };
  if (type === 'Submitted' && previous) state.state = previous;
  if (type === 'Scheduled') state.start_time = new Date().toISOString();
  return state;
}

export const FINISHED = new Set(['Success', 'Failed', 'Cancelled', 'Cached', 'Skipped', 'TimedOut']);
export const SCHEDULED_TYPE = new Set(['Scheduled', 'Retrying', 'Queued', 'Paused', 'Resume']);
