import type { ClickHouseClient } from '@clickhouse/client';
import { isSuppressed, TABLES } from '@waymark/contract/schema';
import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { errorMessage, isRowDataError } from './clickhouse/errors.js';
import { insertJsonLines, insertRowBinary } from './clickhouse/insert-lines.js';
import { insertIsolatingBadRows } from './clickhouse/isolate.js';
import type { HealthState } from './health.js';
import type { DeadLetter } from './kafka/dead-letters.js';
import { isRefusedAsTooLarge, sendDeadLetters } from './kafka/send-dead-letters.js';
import type { ProcessorMetrics } from './metrics.js';
import { type RetryPolicy, retryUntilDone } from './retry.js';
import { EVENT_ROW_COLUMNS } from './rows.js';
import type { WorkItem } from './work.js';

export interface BatchLoaderDeps {
  clickhouse: ClickHouseClient;
  database: string;
  producer: Producer;
  deadLetterTopic: string;
  /** Bytes one dead-letter send carries at most; a single larger dead letter becomes a stub. */
  deadLetterMaxBytes: number;
  retry: RetryPolicy;
  /** Aborted at the shutdown deadline: stop retrying, leave the offsets uncommitted. */
  signal: AbortSignal;
  metrics: ProcessorMetrics;
  health: HealthState;
  log: Logger;
  /** Erased people's ids: their events are dropped, never inserted (suppressions.ts). */
  suppressions: () => ReadonlyMap<string, ReadonlySet<string>>;
}

type LoadItem = Extract<WorkItem, { kind: 'load' }>;

/**
 * Makes one flush durable: events insert, identities insert, dead letters produced — each step
 * retried through outages until it succeeds. Only after this resolves are offsets committed.
 * Rows that ClickHouse rejects as bad data become dead letters instead of blocking the rest.
 */
export function createBatchLoader(deps: BatchLoaderDeps): (items: WorkItem[]) => Promise<void> {
  const { clickhouse, database, metrics, health, log } = deps;

  const retrying = <T>(target: 'clickhouse' | 'kafka', operation: () => Promise<T>) =>
    retryUntilDone(operation, {
      policy: deps.retry,
      signal: deps.signal,
      // A record the broker refuses as too large is refused again: send-dead-letters stubs it.
      isRetryable: (err) => (target === 'kafka' ? !isRefusedAsTooLarge(err) : !isRowDataError(err)),
      onRetry: (err, attempt, delayMs) => {
        metrics.retries.inc({ target });
        if (target === 'clickhouse') metrics.clickhouseUp.set(0);
        health.retrying(target, errorMessage(err));
        log.warn({ target, attempt, delayMs, err: errorMessage(err) }, 'load failed, retrying');
      },
    });

  /** Events rows go as RowBinary (prepared so), identities rows as JSONEachRow lines. */
  const insertInto = async <Row extends string | Uint8Array>(
    table: string,
    rows: readonly Row[],
  ) => {
    const started = performance.now();
    const into = `${database}.${table}`;
    if (table === TABLES.events) {
      await insertRowBinary(clickhouse, into, EVENT_ROW_COLUMNS, rows as readonly Uint8Array[]);
    } else {
      await insertJsonLines(clickhouse, into, rows as readonly string[]);
    }
    metrics.insertDuration.observe({ table }, (performance.now() - started) / 1000);
    metrics.rowsInserted.inc({ table }, rows.length);
    if (health.recovered('clickhouse')) log.info({ table }, 'ClickHouse is back, loading resumed');
    metrics.clickhouseUp.set(1);
  };

  /** Inserts the rows `pick` selects; returns dead letters for the rows ClickHouse refused. */
  const loadTable = async <Row extends string | Uint8Array>(
    table: string,
    items: readonly LoadItem[],
    pick: (item: LoadItem) => Row | undefined,
  ): Promise<{ loaded: LoadItem[]; dead: DeadLetter[] }> => {
    const withRows = items.flatMap((item) => {
      const row = pick(item);
      return row === undefined ? [] : [{ item, row }];
    });
    const rejected = await retrying('clickhouse', () =>
      insertIsolatingBadRows(
        withRows,
        (chunk) =>
          insertInto(
            table,
            chunk.map((c) => c.row),
          ),
        isRowDataError,
      ),
    );
    const refused = new Set(rejected.map((r) => r.item.item));
    return {
      loaded: items.filter((item) => !refused.has(item)),
      dead: rejected.map(({ item, reason }) => ({
        source: item.item.source,
        stage: 'load' as const,
        reason: `ClickHouse refused the ${table} row: ${reason}`,
      })),
    };
  };

  return async (items) => {
    await load(items);
    health.madeProgress();
  };

  async function load(items: WorkItem[]): Promise<void> {
    metrics.batchRows.observe(items.length);
    const suppressions = deps.suppressions();
    const toLoad = items.filter((i): i is LoadItem => {
      if (i.kind !== 'load') return false;
      if (i.subject === undefined || !isSuppressed(suppressions, i.subject)) return true;
      metrics.eventsSuppressed.inc();
      return false;
    });
    const dead: DeadLetter[] = items.filter((i) => i.kind === 'dead');
    const events = await loadTable(TABLES.events, toLoad, (i) => i.eventRow);
    dead.push(...events.dead);
    // An identity link is only written for an event that was stored.
    const identities = await loadTable(TABLES.identities, events.loaded, (i) => i.identityLine);
    dead.push(...identities.dead);
    if (dead.length > 0) {
      await sendDeadLetters(
        {
          producer: deps.producer,
          topic: deps.deadLetterTopic,
          maxBytes: deps.deadLetterMaxBytes,
          retrying: (send) =>
            retrying('kafka', async () => {
              await send();
              if (health.recovered('kafka')) log.info('dead-letter topic writable again');
            }),
          onStub: ({ source }) => {
            metrics.deadLetterStubs.inc();
            log.warn(
              { partition: source.partition, offset: source.offset, bytes: source.value?.length },
              'dead letter too large for its topic: sent as a stub',
            );
          },
          onDropped: ({ source, stage, reason }, err) => {
            metrics.deadLettersDropped.inc({ stage });
            log.error(
              {
                partition: source.partition,
                offset: source.offset,
                stage,
                reason,
                err: errorMessage(err),
              },
              'dead-letter topic refused even the stub: the dead letter is dropped',
            );
          },
        },
        dead,
        new Date(),
      );
      for (const d of dead) metrics.deadLetters.inc({ stage: d.stage });
      const sample = dead.slice(0, 10).map(({ source, stage, reason }) => ({
        partition: source.partition,
        offset: source.offset,
        stage,
        reason,
      }));
      log.warn({ count: dead.length, sample }, 'messages sent to the dead-letter topic');
    }
  }
}
