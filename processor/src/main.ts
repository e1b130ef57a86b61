import { createClient } from '@clickhouse/client';
import pino from 'pino';
import { ConfigError, loadProcessorConfig } from './config.js';
import { startLoader } from './loader.js';
import { migrate } from './schema/migrations.js';

async function main(): Promise<void> {
  const config = loadProcessorConfig();
  const log = pino({ level: config.logLevel, name: 'processor' });
  const clickhouse = createClient({ url: config.clickhouse.url });
  const ran = await migrate(clickhouse, config.clickhouse.database);
  log.info({ migrations: ran }, 'schema up to date');
  const consumer = await startLoader(config, clickhouse, log);
  const shutdown = async () => {
    await consumer.disconnect();
    await clickhouse.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
