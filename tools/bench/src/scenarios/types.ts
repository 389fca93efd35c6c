import type { ResultRow, StoreKind } from '../harness';

export interface BenchOptions {
  smoke: boolean;
  store: StoreKind;
  log: (line: string) => void;
}

export interface Scenario {
  name: string;
  /** Runs once (not per store). */
  storeIndependent?: boolean;
  run(options: BenchOptions): Promise<ResultRow[]>;
}
