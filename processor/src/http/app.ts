import Fastify, { type FastifyInstance } from 'fastify';
import { errorBody } from '../errors.js';
import type { HealthState } from '../health.js';
import type { ProcessorMetrics } from '../metrics.js';

export interface AppDeps {
  health: HealthState;
  metrics: ProcessorMetrics;
}

/**
 * /health: 200 while the consumer runs — also while ClickHouse (or Kafka, for dead letters) is
 * being retried, because the processor recovers by itself and a restart would not help
 * (`status: "degraded"`, `clickhouse: "retrying"` say so) — until loading has made no progress
 * for the stall timeout while messages wait: then 503 WAYMARK_ERR_STALLED, for a supervisor or
 * an alert to act on. 503 WAYMARK_ERR_NOT_READY while starting, stopping or after a crash.
 * /metrics: Prometheus text.
 */
export function buildApp({ health, metrics }: AppDeps): FastifyInstance {
  const app = Fastify({ logger: false });

  app.get('/health', async (_request, reply) => {
    const snapshot = health.snapshot();
    if (snapshot.phase !== 'running') {
      return reply.code(503).send({
        ...errorBody('WAYMARK_ERR_NOT_READY', `the processor is ${snapshot.phase}`),
        ...snapshot,
      });
    }
    const stalledMs = health.stalledForMs();
    if (stalledMs > 0) {
      const lag = health.lastLag;
      return reply.code(503).send({
        ...errorBody(
          'WAYMARK_ERR_STALLED',
          `no progress for ${Math.round(stalledMs / 1000)} s while ${lag} messages wait`,
        ),
        ...snapshot,
        lag,
      });
    }
    const allUp = snapshot.clickhouse === 'up' && snapshot.kafka === 'up';
    return { status: allUp ? 'ok' : 'degraded', ...snapshot };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(errorBody('WAYMARK_ERR_NOT_FOUND', `no endpoint ${request.method} ${request.url}`));
  });
  app.setErrorHandler((_err, _request, reply) => {
    reply.code(500).send(errorBody('WAYMARK_ERR_INTERNAL'));
  });
  return app;
}
