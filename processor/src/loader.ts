import type { ClickHouseClient } from '@clickhouse/client';
import type { CollectedEvent } from '@waymark/collector/record';
import { ensureTopic } from '@waymark/collector/topics';
import { type Consumer, Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import type { ProcessorConfig } from './config.js';
import { toEventRow } from './rows.js';
import { TABLES } from './schema/columns.js';

/**
 * Consumes the events topic and inserts each Kafka batch into ClickHouse with one JSONEachRow
 * insert; offsets are resolved and committed only after the insert returned, so a crash
 * replays at most the batch in flight (which ReplacingMergeTree deduplicates).
 */
export async function startLoader(
  config: ProcessorConfig,
  clickhouse: ClickHouseClient,
  log: Logger,
): Promise<Consumer> {
  const kafka = new Kafka({
    clientId: 'waymark-processor',
    brokers: config.kafka.brokers,
    logLevel: logLevel.WARN,
  });
  const consumer = kafka.consumer({
    groupId: config.kafka.groupId,
    maxWaitTimeInMs: config.batch.maxMs,
  });
  await ensureTopic(kafka, config.kafka.eventsTopic, config.kafka.partitions);
  await consumer.connect();
  await consumer.subscribe({ topic: config.kafka.eventsTopic, fromBeginning: true });
  const table = `${config.clickhouse.database}.${TABLES.events}`;
  await consumer.run({
    eachBatchAutoResolve: false,
    autoCommit: false,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }) => {
      if (batch.messages.length === 0) return;
      const rows = batch.messages.map((m) =>
        toEventRow(JSON.parse(m.value?.toString() ?? '') as CollectedEvent),
      );
      await clickhouse.insert({ table, values: rows, format: 'JSONEachRow' });
      resolveOffset(batch.lastOffset());
      await commitOffsetsIfNecessary();
      await heartbeat();
      log.debug({ partition: batch.partition, rows: rows.length }, 'batch loaded');
    },
  });
  return consumer;
}
