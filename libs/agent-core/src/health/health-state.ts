/** What `/api/health` reports: healthy only while registered and polls succeed. */
export interface HealthStatus {
  healthy: boolean;
  reason?: string;
}

export class HealthState {
  private phase: 'starting' | 'running' | 'stopping' = 'starting';
  private consecutiveFailures = 0;
  private lastError?: string;

  constructor(private readonly failuresBeforeUnhealthy = 3) {}

  registrationFailed(reason: string): void {
    this.lastError = reason;
  }

  registered(): void {
    this.phase = 'running';
  }

  pollSucceeded(): void {
    this.consecutiveFailures = 0;
  }

  pollFailed(reason: string): void {
    this.consecutiveFailures += 1;
    this.lastError = reason;
  }

  stopping(): void {
    this.phase = 'stopping';
  }

  status(): HealthStatus {
    if (this.phase === 'starting') {
      return { healthy: false, reason: `not registered with the API yet${this.lastError ? `: ${this.lastError}` : ''}` };
    }
    if (this.phase === 'stopping') return { healthy: false, reason: 'the agent is shutting down' };
    if (this.consecutiveFailures >= this.failuresBeforeUnhealthy) {
      return { healthy: false, reason: `${this.consecutiveFailures} consecutive polls failed: ${this.lastError}` };
    }
    return { healthy: true };
  }
}
