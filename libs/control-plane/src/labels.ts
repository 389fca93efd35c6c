/**
 * Prefect's label rule (PrefectHQ/server api/runs.py `get_runs_in_queue`): an agent with labels
 * A may take a run with labels R iff R ⊆ A, and an unlabeled run only goes to an unlabeled agent.
 */
export function agentMayTakeRun(agentLabels: readonly string[], runLabels: readonly string[]): boolean {
  if (runLabels.length === 0) return agentLabels.length === 0;
  const have = new Set(agentLabels);
  return runLabels.every((label) => have.has(label));
}

/** Labels as Prefect keeps them: unique and sorted. */
export const normaliseLabels = (labels: readonly string[] | null | undefined): string[] =>
  [...new Set((labels ?? []).map(String))].sort();
