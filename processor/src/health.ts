export type Phase = 'starting' | 'running' | 'stopping' | 'crashed';

/** What /health reports; written by the loader, read by the HTTP server. */
export class HealthState {
  phase: Phase = 'starting';
  clickhouseUp = true;
  lastError: string | undefined;

  snapshot() {
    return {
      phase: this.phase,
      clickhouse: this.clickhouseUp ? ('up' as const) : ('retrying' as const),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }
}
