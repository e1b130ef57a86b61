/** Prometheus metrics, one registry per app (tests build many apps in one process). */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface CollectorMetrics {
  registry: Registry;
  requests: Counter<'route' | 'status'>;
  eventsAccepted: Counter<'project'>;
  eventsRejected: Counter<'reason'>;
  produceSeconds: Histogram<'outcome'>;
  inFlight: Gauge;
}

export function createMetrics({ processMetrics = false } = {}): CollectorMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: 'waymark_collector_' });
  return {
    registry,
    requests: new Counter({
      name: 'waymark_collector_requests_total',
      help: 'HTTP requests answered, by route and status code',
      labelNames: ['route', 'status'] as const,
      registers: [registry],
    }),
    eventsAccepted: new Counter({
      name: 'waymark_collector_events_accepted_total',
      help: 'Events acknowledged by Kafka, by project',
      labelNames: ['project'] as const,
      registers: [registry],
    }),
    eventsRejected: new Counter({
      name: 'waymark_collector_events_rejected_total',
      help: 'Events refused, by reason (a WAYMARK_ERR_EVENT_* code)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    produceSeconds: new Histogram({
      name: 'waymark_collector_produce_seconds',
      help: 'Time from produce to broker acknowledgement, by outcome (ok, error, timeout)',
      labelNames: ['outcome'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'waymark_collector_in_flight_requests',
      help: 'Ingestion requests being processed now',
      registers: [registry],
    }),
  };
}
