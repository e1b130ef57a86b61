export type Phase = 'starting' | 'running' | 'stopping' | 'crashed';
export type Dependency = 'clickhouse' | 'kafka';

export interface HealthOptions {
  /** No progress for this long while there is lag: stalled (/health 503). */
  stallTimeoutMs?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

// What a HealthState built without options (tests of other parts) uses: the config's default.
const DEFAULT_STALL_TIMEOUT_MS = 300_000;

/** What /health reports; written by the loader and the lag monitor, read by the HTTP server. */
export class HealthState {
  phase: Phase = 'starting';
  private readonly failing = new Map<Dependency, string>();
  private readonly stallTimeoutMs: number;
  private readonly now: () => number;
  private lag = 0;
  private lastProgressAt: number;

  constructor(options: HealthOptions = {}) {
    this.stallTimeoutMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
    this.lastProgressAt = this.now();
  }

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

  /** A flush became durable (or the consumer just started): loading moves. */
  madeProgress(): void {
    this.lastProgressAt = this.now();
  }

  /**
   * The lag the monitor measured, summed over this member's partitions. No lag counts as
   * progress: there is nothing to load, so a stall is measured from when work appeared.
   */
  lagMeasured(total: number): void {
    this.lag = total;
    if (total === 0) this.madeProgress();
  }

  /** Milliseconds without progress while messages wait, once over the stall timeout; else 0. */
  stalledForMs(): number {
    const idle = this.now() - this.lastProgressAt;
    return this.lag > 0 && idle > this.stallTimeoutMs ? idle : 0;
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

  /** Lag as last measured, for the stalled answer. */
  get lastLag(): number {
    return this.lag;
  }
}
