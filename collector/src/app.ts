import Fastify, { type FastifyInstance } from 'fastify';
import type { CollectorConfig } from './config.js';
import type { EventSink } from './kafka.js';
import { batchRoute } from './routes/batch.js';

export interface CollectorDeps {
  sink: EventSink;
}

/** Builds the collector without listening, so tests drive it with app.inject(). */
export function buildApp(config: CollectorConfig, deps: CollectorDeps): FastifyInstance {
  const app = Fastify({ logger: { level: config.logLevel }, bodyLimit: 500 * 1024 });
  app.get('/health', async () => ({ status: 'ok' }));
  app.register(batchRoute, { config, sink: deps.sink });
  return app;
}
