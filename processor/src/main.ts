import { migrate } from '@waymark/contract/schema';
import pino from 'pino';
import { createMigrationClient } from './clickhouse/client.js';
import { ConfigError, loadProcessorConfig, type ProcessorConfig } from './config.js';
import { type RunningProcessor, startProcessor } from './service.js';

/** `main.js migrate`: apply the migrations and exit, consuming nothing (one per shard, say). */
async function migrateOnly(config: ProcessorConfig, log: pino.Logger): Promise<void> {
  const { database, cluster } = config.clickhouse;
  const client = createMigrationClient(config.clickhouse);
  try {
    const applied = await migrate(client, database, {
      ...(cluster ? { cluster } : {}),
      // Long steps (a copy, a backfill) at info, the rest at debug.
      onStep: (done) => log[done.ms >= 1000 ? 'info' : 'debug'](done, 'migration step done'),
    });
    log.info({ applied, database, cluster }, 'schema up to date');
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const config = loadProcessorConfig();
  const log = pino({ level: config.logLevel, name: 'processor' });
  const [command] = process.argv.slice(2);
  if (command === 'migrate') return migrateOnly(config, log);
  if (command !== undefined) throw new ConfigError(`unknown command "${command}": try migrate`);
  let processor: RunningProcessor | undefined;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Still starting (e.g. waiting for ClickHouse): nothing consumed, nothing to flush.
    if (processor === undefined) process.exit(0);
    log.info({ signal }, 'finishing the batch in flight, then stopping');
    // Last resort if Kafka itself does not answer: nothing uncommitted is lost by exiting.
    setTimeout(() => {
      log.error('shutdown did not finish in time; exiting without committing');
      process.exit(1);
    }, config.shutdownMs + 5000).unref();
    try {
      await processor.stop();
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'unclean shutdown: uncommitted messages will be replayed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  processor = await startProcessor(config, log);
  log.info(
    {
      topic: config.kafka.eventsTopic,
      group: config.kafka.groupId,
      database: config.clickhouse.database,
    },
    'loading Kafka into ClickHouse',
  );
  processor.crashed.then((err) => {
    log.fatal({ err }, 'consumer stopped for good; exiting so a supervisor restarts it');
    process.exit(1);
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
