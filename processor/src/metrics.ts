import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

// Rows/s over this window, for dashboards without PromQL; Prometheus users rate() the counter.
const RATE_WINDOW_MS = 10_000;

export interface ProcessorMetrics {
  registry: Registry;
  rowsInserted: Counter<'table'>;
  insertDuration: Histogram<'table'>;
  retries: Counter<'target'>;
  deadLetters: Counter<'stage'>;
  deadLetterStubs: Counter;
  deadLettersDropped: Counter<'stage'>;
  eventsSuppressed: Counter;
  consumerLag: Gauge<'topic' | 'partition'>;
  batchRows: Histogram;
  clickhouseUp: Gauge;
  devicesSummarized: Counter<'project'>;
  summaryWatermark: Gauge<'project'>;
  summaryFailures: Counter;
  recordInsertedRows: (rows: number) => void;
}

export function createMetrics(): ProcessorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'waymark_processor_' });
  const recent: { at: number; rows: number }[] = [];
  const prune = (now: number) => {
    while (recent.length > 0 && recent[0]!.at < now - RATE_WINDOW_MS) recent.shift();
  };
  new Gauge({
    name: 'waymark_processor_rows_per_second',
    help: `Event rows inserted per second over the last ${RATE_WINDOW_MS / 1000} s`,
    registers: [registry],
    collect() {
      const now = Date.now();
      prune(now);
      this.set(recent.reduce((sum, r) => sum + r.rows, 0) / (RATE_WINDOW_MS / 1000));
    },
  });
  return {
    registry,
    rowsInserted: new Counter({
      name: 'waymark_processor_rows_inserted_total',
      help: 'Rows inserted into ClickHouse, by table',
      labelNames: ['table'],
      registers: [registry],
    }),
    insertDuration: new Histogram({
      name: 'waymark_processor_insert_duration_seconds',
      help: 'Duration of successful ClickHouse inserts, by table',
      labelNames: ['table'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'waymark_processor_retries_total',
      help: 'Failed attempts that are retried after a backoff, by target (clickhouse, kafka)',
      labelNames: ['target'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'waymark_processor_dead_letters_total',
      help: 'Messages written to the dead-letter topic, by stage (parse, validate, load)',
      labelNames: ['stage'],
      registers: [registry],
    }),
    deadLetterStubs: new Counter({
      name: 'waymark_processor_dead_letter_stubs_total',
      help: 'Dead letters too large for their topic, written as a stub (reason, ids, head)',
      registers: [registry],
    }),
    deadLettersDropped: new Counter({
      name: 'waymark_processor_dead_letters_dropped_total',
      help: 'Dead letters whose stub the topic refused as too large too, by stage: not written',
      labelNames: ['stage'],
      registers: [registry],
    }),
    eventsSuppressed: new Counter({
      name: 'waymark_processor_events_suppressed_total',
      help: "Events dropped because they carry an erased person's id",
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'waymark_processor_consumer_lag',
      help: 'End offset minus committed offset, per partition this instance owns',
      labelNames: ['topic', 'partition'],
      registers: [registry],
    }),
    batchRows: new Histogram({
      name: 'waymark_processor_batch_rows',
      help: 'Messages per flush (one insert per table)',
      buckets: [1, 10, 100, 500, 1000, 2500, 5000, 10_000, 50_000],
      registers: [registry],
    }),
    clickhouseUp: new Gauge({
      name: 'waymark_processor_clickhouse_up',
      help: '1 when the last ClickHouse request succeeded, 0 while retrying',
      registers: [registry],
    }),
    devicesSummarized: new Counter({
      name: 'waymark_processor_devices_summarized_total',
      help: 'Device summaries written by the summarizer',
      labelNames: ['project'],
      registers: [registry],
    }),
    summaryWatermark: new Gauge({
      name: 'waymark_processor_summary_watermark_seconds',
      help: "Epoch seconds up to which every device change is summarized: now minus this is the summarizer's lag",
      labelNames: ['project'],
      registers: [registry],
    }),
    summaryFailures: new Counter({
      name: 'waymark_processor_summary_failures_total',
      help: 'Summarizer passes that failed (tried again at the next interval)',
      registers: [registry],
    }),
    recordInsertedRows(rows) {
      const now = Date.now();
      recent.push({ at: now, rows });
      prune(now);
    },
  };
}
