import type { FlowRunMetadata } from './flow-run.js';
import { RunExecutor, type RunExecutorContext } from './run-executor.js';

/** The runs this agent is executing: capacity (`--limit`), cancellation by id, drain, shutdown. */
export class RunSupervisor {
  private readonly runs = new Map<string, { executor: RunExecutor; done: Promise<void> }>();
  private readonly idleWaiters = new Set<() => void>();

  constructor(
    private readonly ctx: RunExecutorContext,
    private readonly limit: number | undefined,
    private readonly onSlotFree: () => void = () => undefined,
  ) {}

  get size(): number {
    return this.runs.size;
  }

  /** How many more runs may start now. */
  get capacity(): number {
    return this.limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, this.limit - this.runs.size);
  }

  ids(): string[] {
    return [...this.runs.keys()];
  }

  has(id: string): boolean {
    return this.runs.has(id);
  }

  get(id: string): RunExecutor | undefined {
    return this.runs.get(id)?.executor;
  }

  /** Starts a claimed (Submitted) run; the returned promise settles when it is fully reported. */
  start(run: FlowRunMetadata): Promise<void> {
    const existing = this.runs.get(run.id);
    if (existing) return existing.done;
    const executor = new RunExecutor(run, this.ctx);
    const done = executor.execute().finally(() => {
      this.runs.delete(run.id);
      this.onSlotFree();
      if (this.runs.size === 0) for (const w of [...this.idleWaiters]) w();
    });
    this.runs.set(run.id, { executor, done });
    return done;
  }

  cancel(id: string): void {
    this.runs.get(id)?.executor.cancel();
  }

  fence(id: string, graceMs: number): void {
    this.runs.get(id)?.executor.fence(graceMs);
  }

  abandon(id: string): void {
    this.runs.get(id)?.executor.abandon();
  }

  /** Resolves true when every run ended within `timeoutMs`, false otherwise. */
  waitIdle(timeoutMs: number): Promise<boolean> {
    if (this.runs.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (idle: boolean) => {
        clearTimeout(timer);
        this.idleWaiters.delete(onIdle);
        resolve(idle);
      };
      const onIdle = () => finish(true);
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.idleWaiters.add(onIdle);
    });
  }

  /** Terminates every run (recording `message`) and waits until all are reported. */
  async shutdownAll(message: string, graceMs: number): Promise<void> {
    for (const { executor } of this.runs.values()) executor.shutdown(message, graceMs);
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }
}
