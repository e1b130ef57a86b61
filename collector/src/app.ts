/** The collector's HTTP app, built without listening so tests drive it with `app.inject()`. */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import { LIMITS } from '@waymark/contract/limits';
import { ProjectRegistry } from '@waymark/contract/projects';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { DestinationStream } from 'pino';
import type { CollectorConfig } from './config.js';
import { CollectorError } from './errors.js';
import { registerBodyParsing } from './http/body.js';
import { limitConnectionsPerIp } from './http/connections.js';
import { RefusalLog } from './http/refusal-log.js';
import type { EventSink } from './kafka.js';
import { type CollectorMetrics, createMetrics } from './metrics.js';
import { ingestRoutes } from './routes/ingest.js';
import { opsRoutes } from './routes/ops.js';
import { scriptRoute } from './routes/script.js';

export interface CollectorDeps {
  sink: EventSink;
  metrics?: CollectorMetrics;
  /** Where logs go (default stdout, synchronously); main.ts passes an asynchronous destination. */
  logStream?: DestinationStream;
  /** Milliseconds since the epoch, for `receivedAt`. */
  now?: () => number;
}

/** Maps Fastify's own errors onto the collector's coded list. */
function toCollectorError(err: FastifyError): CollectorError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new CollectorError(
        'WAYMARK_ERR_BODY_TOO_LARGE',
        `body exceeds the ${LIMITS.maxBodyBytes}-byte limit`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new CollectorError(
        'WAYMARK_ERR_UNSUPPORTED_MEDIA_TYPE',
        'content-type must be application/json, text/plain or application/x-www-form-urlencoded (or any, with content-encoding gzip)',
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new CollectorError(
        'WAYMARK_ERR_INVALID_BODY',
        'body length does not match Content-Length',
      );
    default:
      if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
        return new CollectorError('WAYMARK_ERR_INVALID_BODY', err.message);
      }
      return undefined;
  }
}

/** Trust the nearest `hops` proxies (Fastify accepts a number too, but its types do not say so). */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

export function buildApp(config: CollectorConfig, deps: CollectorDeps): FastifyInstance {
  const metrics = deps.metrics ?? createMetrics();
  const registry = new ProjectRegistry(config.projects);
  let closing = false;

  const app = Fastify({
    logger: {
      level: config.logLevel,
      ...(deps.logStream ? { stream: deps.logStream } : {}),
      // No payloads and no IPs in logs.
      serializers: {
        req: (req) => ({ method: req.method, url: req.url }),
      },
    },
    // No per-request log lines on the hot path: metrics count requests.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: LIMITS.maxBodyBytes,
    trustProxy:
      typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    // We answer 503 ourselves during a drain, in the coded error shape.
    return503OnClosing: false,
    requestTimeout: 30_000,
  });

  const refusals = new RefusalLog(app.log, { perWindow: 10, windowMs: 10_000 });
  const refuse = (request: FastifyRequest, err: CollectorError) => {
    if (err.statusCode < 500) refusals.refused(request, err);
  };
  if (config.maxConnectionsPerIp > 0) limitConnectionsPerIp(app.server, config.maxConnectionsPerIp);

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const known = err instanceof CollectorError ? err : toCollectorError(err);
    if (known === undefined) {
      request.log.error({ err }, 'unexpected error');
      const internal = new CollectorError('WAYMARK_ERR_INTERNAL', 'internal error');
      return reply.code(internal.statusCode).send(internal.body());
    }
    refuse(request, known);
    return reply.code(known.statusCode).headers(known.headers).send(known.body());
  });
  app.setNotFoundHandler((request, reply) => {
    const err = new CollectorError(
      'WAYMARK_ERR_NOT_FOUND',
      `no route ${request.method} ${request.url.split('?')[0]?.slice(0, 100)}`,
    );
    refuse(request, err);
    return reply.code(err.statusCode).send(err.body());
  });

  // Callback-style hooks on the hot path: an async hook costs a promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    metrics.requests.inc({
      route: request.routeOptions.url ?? 'not_found',
      status: String(reply.statusCode),
    });
    done();
  });
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    // During a drain, end keep-alive connections after their response, or close() would wait
    // for their idle timeout.
    if (closing) reply.header('connection', 'close');
    // No answer is to be sniffed or sent on as a Referer. No Cache-Control: answers to POSTs are
    // not cached anyway, and with `no-store` Chromium reports every answer analytics.js does
    // not read as an aborted request (the script route sets its own caching).
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer');
    if (reply.request.method === 'GET' && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });

  app.register(cors, {
    // Preflights carry no key, so they are answered for any origin some project allows; the
    // request itself is then checked against its own project's origins.
    origin: (origin, callback) => {
      callback(
        null,
        origin === undefined || registry.anyOriginAllowed || registry.allowedOrigins.has(origin),
      );
    },
    methods: ['POST'],
    // Besides the usual three: analytics.js adds X-Retry-Count to every retry, and RudderStack's
    // browser SDK AnonymousId and SentAt to every request; a preflight refusing them means the
    // browser never sends the event.
    allowedHeaders: [
      'content-type',
      'authorization',
      'content-encoding',
      'x-retry-count',
      'anonymousid',
      'sentat',
    ],
    maxAge: 86_400,
  });
  app.register(rateLimit, { global: false });
  app.register(async (scope) => {
    registerBodyParsing(scope, config.bodyTimeoutMs);
    await scope.register(ingestRoutes, {
      config,
      sink: deps.sink,
      metrics,
      now: deps.now ?? Date.now,
      isClosing: () => closing,
    });
  });
  app.register(opsRoutes, { sink: deps.sink, metrics, metricsToken: config.metricsToken });
  app.register(scriptRoute);
  return app;
}
