/** A sleep that `wake()` (a poke, a freed slot) or an AbortSignal (stop) ends early. */
export class Waker {
  private wakers = new Set<() => void>();
  private pending = false;

  wake(): void {
    if (this.wakers.size === 0) {
      this.pending = true;
      return;
    }
    for (const w of [...this.wakers]) w();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<'timeout' | 'woken' | 'aborted'> {
    if (signal?.aborted) return Promise.resolve('aborted');
    if (this.pending) {
      this.pending = false;
      return Promise.resolve('woken');
    }
    return new Promise((resolve) => {
      const done = (why: 'timeout' | 'woken' | 'aborted') => {
        clearTimeout(timer);
        this.wakers.delete(onWake);
        signal?.removeEventListener('abort', onAbort);
        resolve(why);
      };
      const onWake = () => done('woken');
      const onAbort = () => done('aborted');
      const timer = setTimeout(() => done('timeout'), ms);
      this.wakers.add(onWake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
