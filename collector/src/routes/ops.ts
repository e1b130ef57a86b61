/** Operations endpoints: liveness, readiness (Kafka reachable) and Prometheus metrics. */
import type { FastifyPluginAsync } from 'fastify';
import { CollectorError } from '../errors.js';
import type { EventSink } from '../kafka.js';
import type { CollectorMetrics } from '../metrics.js';

export interface OpsOptions {
  sink: EventSink;
  metrics: CollectorMetrics;
}

export const opsRoutes: FastifyPluginAsync<OpsOptions> = async (app, { sink, metrics }) => {
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async () => {
    if (!(await sink.ready())) {
      throw new CollectorError('WAYMARK_ERR_BROKER_UNAVAILABLE', 'Kafka is not reachable', {
        'retry-after': '5',
      });
    }
    return { status: 'ready' };
  });

  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};
