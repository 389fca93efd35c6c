import type { ResultRow, StoreKind } from '@prefect-ts/bench';

export interface ChaosOptions {
  smoke: boolean;
  store: StoreKind;
  log: (line: string) => void;
  /** the soak's length; default 600 s (10 s in smoke mode) */
  soakSeconds?: number;
}

export interface ChaosScenario {
  name: string;
  run(options: ChaosOptions): Promise<ResultRow[]>;
}

/** A correctness row: `ok` decides `met`. */
export const check = (scenario: string, metric: string, value: number | string, ok: boolean, target: string, note?: string): ResultRow => ({ scenario, metric, value, unit: '', target, met: ok, note });
