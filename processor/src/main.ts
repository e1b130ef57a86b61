import pino from 'pino';
import { ConfigError, loadProcessorConfig } from './config.js';
import { type RunningProcessor, startProcessor } from './service.js';

async function main(): Promise<void> {
  const config = loadProcessorConfig();
  const log = pino({ level: config.logLevel, name: 'processor' });
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
