/** The collector process: config, Kafka producer, HTTP server, graceful drain on SIGTERM. */
import pino from 'pino';
import { buildApp } from './app.js';
import { ConfigError, loadCollectorConfig } from './config.js';
import { connectKafkaSink } from './kafka.js';
import { createMetrics } from './metrics.js';

async function main(): Promise<void> {
  const config = loadCollectorConfig();
  // Asynchronous logging: a slow stdout never blocks the event loop on the hot path.
  const logStream = pino.destination({ dest: 1, sync: false });
  const sink = await connectKafkaSink(config.kafka);
  const app = buildApp(config, {
    sink,
    logStream,
    metrics: createMetrics({ processMetrics: true }),
  });
  await app.listen({ host: config.host, port: config.port });

  let stopping = false;
  const shutdown = async (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ reason }, 'draining');
    const deadline = setTimeout(() => {
      app.log.error('drain took longer than COLLECTOR_SHUTDOWN_TIMEOUT_MS; exiting');
      logStream.flushSync();
      process.exit(1);
    }, config.shutdownTimeoutMs);
    // Stop accepting, let in-flight requests finish (each waits for its Kafka ack), then flush.
    await app.close();
    await sink.close();
    clearTimeout(deadline);
    app.log.info('drained');
    logStream.flushSync();
    process.exit(exitCode);
  };
  // Nothing can be produced any more: requests answer 503 (clients retry), and a restart by the
  // supervisor is the way back, as for the processor's consumer.
  void sink.broken.then((err) => {
    app.log.fatal({ err: err.message }, 'Kafka producer thread died; draining, then exiting');
    void shutdown('producer thread died', 1);
  });
  // `on`, not `once`: a second signal during the drain must not kill the process mid-flush.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
