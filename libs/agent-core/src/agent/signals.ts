import type { Logger } from '../logging/logger.js';

/** SIGTERM and SIGINT: the first stops gracefully, the second at once. */
export function installSignalHandlers(agent: { stop(o: { graceful: boolean }): void }, logger: Logger, stopTimeout: () => number): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count += 1;
    if (count === 1) {
      logger.info(`${signal} received: no new flow runs; running ones get up to ${stopTimeout()} s to finish (send it again to stop at once)`);
      agent.stop({ graceful: true });
    } else {
      logger.warning(`${signal} received again: terminating running flow runs now`);
      agent.stop({ graceful: false });
    }
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
