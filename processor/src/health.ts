export type Phase = 'starting' | 'running' | 'stopping' | 'crashed';
export type Dependency = 'clickhouse' | 'kafka';

/** What /health reports; written by the loader, read by the HTTP server. */
export class HealthState {
  phase: Phase = 'starting';
  private readonly failing = new Map<Dependency, string>();

  /** A request to `dependency` failed and is being retried. */
  retrying(dependency: Dependency, error: string): void {
    this.failing.set(dependency, error);
  }

  /** A request to `dependency` succeeded; returns true if it had been failing. */
  recovered(dependency: Dependency): boolean {
    return this.failing.delete(dependency);
  }

  isUp(dependency: Dependency): boolean {
    return !this.failing.has(dependency);
  }

  snapshot() {
    const state = (d: Dependency) => (this.isUp(d) ? ('up' as const) : ('retrying' as const));
    const errors = [...this.failing].map(([d, error]) => `${d}: ${error}`);
    return {
      phase: this.phase,
      clickhouse: state('clickhouse'),
      kafka: state('kafka'),
      ...(errors.length > 0 ? { lastError: errors.join('; ') } : {}),
    };
  }
}
