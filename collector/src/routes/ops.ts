/**
 * Operations endpoints: liveness, readiness (Kafka reachable) and Prometheus metrics. Metrics
 * name every project and its volumes, so they need the bearer token COLLECTOR_METRICS_TOKEN
 * (and are off without one), while health and readiness stay open for load balancers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { CollectorError } from '../errors.js';
import type { EventSink } from '../kafka.js';
import type { CollectorMetrics } from '../metrics.js';

export interface OpsOptions {
  sink: EventSink;
  metrics: CollectorMetrics;
  /** Absent: /metrics answers 404. */
  metricsToken: string | undefined;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether an Authorization header carries the token (compared in constant time). */
function bears(header: string | undefined, token: Buffer): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), token);
}

export const opsRoutes: FastifyPluginAsync<OpsOptions> = async (
  app,
  { sink, metrics, metricsToken },
) => {
  const token = metricsToken === undefined ? undefined : digest(metricsToken);
  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async () => {
    if (!(await sink.ready())) {
      throw new CollectorError('WAYMARK_ERR_BROKER_UNAVAILABLE', 'Kafka is not reachable', {
        'retry-after': '5',
      });
    }
    return { status: 'ready' };
  });

  app.get('/metrics', async (request, reply) => {
    if (token === undefined) {
      throw new CollectorError(
        'WAYMARK_ERR_NOT_FOUND',
        'metrics are off: set COLLECTOR_METRICS_TOKEN and scrape with that bearer token',
      );
    }
    if (!bears(request.headers.authorization, token)) {
      throw new CollectorError(
        'WAYMARK_ERR_METRICS_UNAUTHORIZED',
        'send Authorization: Bearer <COLLECTOR_METRICS_TOKEN>',
      );
    }
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
};
