/** An in-memory `EventSink` for HTTP-level tests: records what would have gone to Kafka. */

import {
  type CollectedEvent,
  collectedEventsOf,
  type InvalidEventRecord,
} from '@waymark/contract/record';
import type { CollectorConfig } from '../config.js';
import { loadCollectorConfig } from '../config.js';
import type { EventSink, SinkBatch } from '../kafka.js';

export interface RecordingSink extends EventSink {
  /** Each event of the records sent, with its record's key (records: how many records). */
  events: { key: string; record: CollectedEvent }[];
  records: number;
  invalid: { key: string; record: InvalidEventRecord }[];
  /**
   * Makes the next sends fail (`'error'`), never settle (`'hang'`), or wait for `release()`
   * (`'gate'`); `'ok'` restores.
   */
  mode: 'ok' | 'error' | 'hang' | 'gate';
  release: () => void;
  /** How many sends were attempted. */
  calls: number;
  isReady: boolean;
}

export function recordingSink(): RecordingSink {
  let opened: Promise<void> | undefined;
  let open = () => {};
  const sink: RecordingSink = {
    release: () => open(),
    calls: 0,
    events: [],
    records: 0,
    invalid: [],
    mode: 'ok',
    isReady: true,
    async send(batch: SinkBatch) {
      sink.calls++;
      if (sink.mode === 'error') throw new Error('broker unreachable');
      if (sink.mode === 'hang') return new Promise<void>(() => {});
      if (sink.mode === 'gate') {
        opened ??= new Promise<void>((resolve) => {
          open = resolve;
        });
        await opened;
      }
      for (const m of batch.events) {
        sink.records++;
        for (const record of collectedEventsOf(m.value)) sink.events.push({ key: m.key, record });
      }
      for (const m of batch.invalid) {
        sink.invalid.push({ key: m.key, record: JSON.parse(m.value) as InvalidEventRecord });
      }
    },
    async ready() {
      return sink.isReady;
    },
    async close() {},
  };
  return sink;
}

export const TEST_PROJECTS = [
  {
    id: 'shop',
    writeKeys: ['wk_shop_test_key'],
    readKeys: ['rk_shop_secret_key_0123456789abcdef'],
    allowedOrigins: ['https://shop.example'],
  },
  { id: 'private', writeKey: 'wk_private_test', keepIp: true },
  { id: 'closed', writeKey: 'wk_closed_test', disabled: true },
];

/** The bearer token /metrics wants in tests (`testConfig` sets it). */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789abcdef';

/** A config for tests: quiet logs, test projects, a metrics token, overrides on top. */
export function testConfig(env: Record<string, string> = {}): CollectorConfig {
  return loadCollectorConfig({
    LOG_LEVEL: 'silent',
    WAYMARK_PROJECTS: JSON.stringify(TEST_PROJECTS),
    COLLECTOR_METRICS_TOKEN: TEST_METRICS_TOKEN,
    ...env,
  });
}

export function basic(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}
