/**
 * The ids of erased people (contract/src/schema/erasure.ts), kept in memory and refreshed every
 * SUPPRESSION_REFRESH_MS: an event carrying one is dropped before it is inserted, so replaying
 * Kafka's copies (or a client's retry) after an erasure never stores the person again. The
 * erasure deletes a second time after twice that interval, for rows loaded from a list that was
 * still stale. A failed refresh keeps the last list and says so in the log.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { loadSuppressions, SUPPRESSION_REFRESH_MS } from '@waymark/contract/schema';
import type { Logger } from 'pino';

export interface SuppressionList {
  /** Project id → suppressed id hashes; empty until the first load. */
  current(): ReadonlyMap<string, ReadonlySet<string>>;
  stop(): void;
}

/** Loads the list once (retrying through outages is the caller's start-up wait) and keeps it fresh. */
export async function startSuppressionList(
  clickhouse: ClickHouseClient,
  database: string,
  log: Logger,
  refreshMs = SUPPRESSION_REFRESH_MS,
): Promise<SuppressionList> {
  let list = await loadSuppressions(clickhouse, database);
  let failing = false;
  const timer = setInterval(() => {
    loadSuppressions(clickhouse, database).then(
      (fresh) => {
        list = fresh;
        if (failing) log.info('suppression list refreshed again');
        failing = false;
      },
      (err: unknown) => {
        if (!failing)
          log.warn({ err: String(err) }, 'suppression list refresh failed; keeping the last one');
        failing = true;
      },
    );
  }, refreshMs);
  timer.unref();
  return {
    current: () => list,
    stop: () => clearInterval(timer),
  };
}
