import { buildApp } from './app.js';
import { ConfigError, loadCollectorConfig } from './config.js';
import { connectKafkaSink } from './kafka.js';

async function main(): Promise<void> {
  const config = loadCollectorConfig();
  const sink = await connectKafkaSink(config.kafka);
  const app = buildApp(config, { sink });
  await app.listen({ host: config.host, port: config.port });
  const shutdown = async () => {
    await app.close();
    await sink.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
