/** A background service of the control plane (lease sweeper, later agent SLA checks). */
export interface BackgroundService {
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}

/** Runs `tick` every `intervalMs` (never overlapping), reporting failures to `onError`. */
export function intervalService(name: string, intervalMs: number, tick: () => Promise<void>, onError: (err: unknown) => void): BackgroundService {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const loop = (): void => {
    running = tick().catch(onError).finally(() => {
      running = undefined;
      if (!stopped) timer = setTimeout(loop, intervalMs);
    });
  };
  return {
    name,
    start: () => {
      stopped = false;
      timer = setTimeout(loop, intervalMs);
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
