import { hostname as osHostname } from 'node:os';

/**
 * The agent's labels: the configured ones (deduplicated, order kept) plus the host name unless
 * `--no-hostname-label`. An agent with no labels at all only takes unlabeled runs (Prefect's
 * rule: run labels R are taken by agent labels A iff R ⊆ A; an unlabeled run only by an
 * unlabeled agent), which is why the host name label matters.
 */
export function agentLabels(labels: readonly string[], hostnameLabel: boolean, hostname: () => string = osHostname): string[] {
  const out: string[] = [];
  for (const label of labels) if (label !== '' && !out.includes(label)) out.push(label);
  if (hostnameLabel) {
    const host = hostname();
    if (host && !out.includes(host)) out.push(host);
  }
  return out;
}

/** Prefect's label rule, as the agent applies it locally (a safety check on claimed runs). */
export function labelsMatch(runLabels: readonly string[], agent: readonly string[]): boolean {
  if (runLabels.length === 0) return agent.length === 0;
  return runLabels.every((l) => agent.includes(l));
}
