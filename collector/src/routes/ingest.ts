/**
 * The Segment HTTP Tracking API: `/v1/batch` and one route per event type. Valid events of a batch
 * are produced; each refused one is reported (index, messageId, path, reason) and written, as an
 * allow-list summary, to the invalid-events topic. The reply waits for the broker's acknowledgement.
 */

import { LIMITS } from '@waymark/contract/limits';
import { originAllowed, type ProjectConfig, ProjectRegistry } from '@waymark/contract/projects';
import { EVENT_TYPES, type EventType } from '@waymark/contract/wire';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { CollectorConfig } from '../config.js';
import { CollectorError } from '../errors.js';
import { writeKeyOf } from '../http/write-key.js';
import { readEnvelope } from '../ingest/envelope.js';
import { prepareEvent, type Rejection, type RequestFacts } from '../ingest/event.js';
import { invalidRecord } from '../ingest/invalid.js';
import { RequestRecords } from '../ingest/records.js';
import type { EventSink, ProducedRecord, SinkBatch } from '../kafka.js';
import type { CollectorMetrics } from '../metrics.js';
import { Withdrawal } from '../withdrawal.js';

export interface IngestOptions {
  config: CollectorConfig;
  sink: EventSink;
  metrics: CollectorMetrics;
  /** Milliseconds since the epoch; injectable so tests can pin the clock. */
  now: () => number;
  /** True once shutdown began: new requests get 503. */
  isClosing: () => boolean;
}

/**
 * RudderStack's browser SDK's `navigator.sendBeacon` path: a beacon carries no headers, so the
 * write key comes in the query string (`?writeKey=`), read on this path only.
 */
const BEACON_PATH = '/beacon/v1/batch';

function queryWriteKey(query: unknown): string | undefined {
  const key = (query as { writeKey?: unknown } | undefined)?.writeKey;
  return typeof key === 'string' && key !== '' ? key : undefined;
}

/** Seconds a client should wait before retrying after the broker failed us. */
const RETRY_AFTER_UNAVAILABLE_S = '5';
const RETRY_AFTER_OVERLOADED_S = '1';

declare module 'fastify' {
  interface FastifyRequest {
    waymarkProject?: ProjectConfig;
    waymarkWriteKey?: string;
    waymarkInFlight?: boolean;
  }
}

/**
 * Sends and waits for the broker, at most `ms`: then the answer is 503, and records not yet out
 * are withdrawn (a produce already out may still land; the processor dedupes by messageId).
 */
function sendWithin(sink: EventSink, batch: SinkBatch, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const withdrawal = new Withdrawal();
    const timer = setTimeout(() => {
      const err = new CollectorError(
        'WAYMARK_ERR_BROKER_UNAVAILABLE',
        `Kafka did not acknowledge within ${ms} ms; nothing was accepted, retry later`,
        { 'retry-after': RETRY_AFTER_UNAVAILABLE_S },
      );
      withdrawal.withdraw(err);
      reject(err);
    }, ms);
    // Whichever settles first wins; a later answer from the sink changes nothing.
    sink.send(batch, withdrawal).then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

function describe(rejection: Rejection): string {
  const at = rejection.path === '' ? '' : `.${rejection.path}`;
  return `events[${rejection.index}]${at}: ${rejection.reason}`;
}

export const ingestRoutes: FastifyPluginAsync<IngestOptions> = async (app, options) => {
  const { config, sink, metrics, now, isClosing } = options;
  const registry = new ProjectRegistry(config.projects);
  let inFlight = 0;

  const ipLimit =
    config.rateLimit.perIp > 0
      ? app.createRateLimit({
          max: config.rateLimit.perIp,
          timeWindow: config.rateLimit.windowMs,
          keyGenerator: (request) => `ip:${request.ip}`,
        })
      : undefined;
  const keyLimit =
    config.rateLimit.perKey > 0
      ? app.createRateLimit({
          max: config.rateLimit.perKey,
          timeWindow: config.rateLimit.windowMs,
          keyGenerator: (request) => `key:${request.waymarkWriteKey ?? ''}`,
        })
      : undefined;

  async function enforce(
    limit: typeof ipLimit,
    request: FastifyRequest,
    what: string,
  ): Promise<void> {
    if (limit === undefined) return;
    const result = await limit(request);
    if (!result.isAllowed && result.isExceeded) {
      throw new CollectorError(
        'WAYMARK_ERR_RATE_LIMITED',
        `rate limit of ${result.max} requests per ${result.timeWindow / 1000} s per ${what} exceeded`,
        { 'retry-after': String(Math.max(1, result.ttlInSeconds)) },
      );
    }
  }

  const release = (request: FastifyRequest) => {
    if (request.waymarkInFlight) {
      request.waymarkInFlight = false;
      inFlight--;
      metrics.inFlight.set(inFlight);
    }
  };

  // Before the body is read: refusing here costs no memory.
  app.addHook('onRequest', async (request, reply) => {
    if (isClosing()) {
      reply.header('connection', 'close');
      throw new CollectorError('WAYMARK_ERR_SHUTTING_DOWN', 'the collector is shutting down', {
        'retry-after': RETRY_AFTER_OVERLOADED_S,
      });
    }
    await enforce(ipLimit, request, 'IP address');
  });

  /**
   * The in-flight budget counts only work worth doing: a request whose body has arrived and
   * whose key is valid. Taken before the body was read, it let keyless clients that trickle
   * their bodies hold every slot (http/connections.ts and the body deadline bound those).
   */
  const takeInFlight = (request: FastifyRequest) => {
    if (inFlight >= config.maxInFlight) {
      throw new CollectorError(
        'WAYMARK_ERR_OVERLOADED',
        `more than ${config.maxInFlight} requests in flight; retry shortly`,
        { 'retry-after': RETRY_AFTER_OVERLOADED_S },
      );
    }
    inFlight++;
    metrics.inFlight.set(inFlight);
    request.waymarkInFlight = true;
  };
  app.addHook('onResponse', (request, _reply, done) => {
    release(request);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    release(request);
    done();
  });

  // After the body is read (the key may be in it): who is sending, from where, how often.
  app.addHook('preHandler', async (request) => {
    const writeKey =
      writeKeyOf(request.headers.authorization, request.body) ??
      (request.routeOptions.url === BEACON_PATH ? queryWriteKey(request.query) : undefined);
    if (writeKey === undefined) {
      throw new CollectorError(
        'WAYMARK_ERR_MISSING_WRITE_KEY',
        'no write key: send it as the HTTP Basic user name or as "writeKey" in the body',
      );
    }
    const project = registry.byWriteKey(writeKey);
    if (project === undefined) {
      throw new CollectorError('WAYMARK_ERR_UNKNOWN_WRITE_KEY', 'unknown write key');
    }
    if (project.disabled) {
      throw new CollectorError('WAYMARK_ERR_PROJECT_DISABLED', `project ${project.id} is disabled`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !originAllowed(project, origin)) {
      throw new CollectorError(
        'WAYMARK_ERR_ORIGIN_NOT_ALLOWED',
        `origin ${origin.slice(0, 100)} may not send to project ${project.id}`,
      );
    }
    request.waymarkProject = project;
    request.waymarkWriteKey = writeKey;
    await enforce(keyLimit, request, 'write key');
    takeInFlight(request);
  });

  async function ingest(
    request: FastifyRequest,
    reply: FastifyReply,
    type: EventType | undefined,
  ): Promise<unknown> {
    const project = request.waymarkProject!;
    const envelope = readEnvelope(request.body, type !== undefined);
    const receivedAtMs = now();
    const facts: RequestFacts = {
      projectId: project.id,
      keepIp: project.keepIp,
      receivedAtMs,
      receivedAt: new Date(receivedAtMs).toISOString(),
      requestIp: request.ip,
      bodyBytes: request.waymarkBodyBytes ?? LIMITS.maxBodyBytes,
      sentAt: envelope.sentAt,
      context: envelope.context,
      type,
    };

    const accepted = new RequestRecords();
    const invalid: ProducedRecord[] = [];
    const rejected: Rejection[] = [];
    const { rawEvents } = envelope;
    for (let i = 0; i < rawEvents.length; i++) {
      const prepared = prepareEvent(rawEvents[i], i, facts);
      if (prepared.ok) {
        accepted.add(prepared.key, prepared.record);
      } else {
        rejected.push(prepared.rejection);
        metrics.eventsRejected.inc({ reason: prepared.rejection.code });
        invalid.push(invalidRecord(facts, rawEvents[i], prepared.rejection));
      }
    }

    const events = accepted.records();
    const started = performance.now();
    try {
      await sendWithin(sink, { events, invalid }, config.kafka.produceTimeoutMs);
      metrics.produceSeconds.observe({ outcome: 'ok' }, (performance.now() - started) / 1000);
    } catch (err) {
      const timedOut = err instanceof CollectorError;
      metrics.produceSeconds.observe(
        { outcome: timedOut ? 'timeout' : 'error' },
        (performance.now() - started) / 1000,
      );
      if (timedOut) throw err;
      request.log.warn({ err }, 'kafka produce failed');
      throw new CollectorError(
        'WAYMARK_ERR_BROKER_UNAVAILABLE',
        'Kafka did not acknowledge the events; nothing was accepted, retry later',
        { 'retry-after': RETRY_AFTER_UNAVAILABLE_S },
      );
    }
    if (accepted.events > 0) {
      metrics.eventsAccepted.inc({ project: project.id }, accepted.events);
    }

    if (accepted.events === 0) {
      const only = rejected.length === 1 ? rejected[0] : undefined;
      throw new CollectorError(
        only ? only.code : 'WAYMARK_ERR_NO_VALID_EVENTS',
        only ? describe(only) : `all ${rejected.length} events were refused; see "rejected"`,
        {},
        { rejected },
      );
    }
    reply.code(200);
    return { success: true, accepted: accepted.events, rejected };
  }

  // analytics.js (analytics-next) posts to the one-letter paths; server libraries to the long
  // ones (analytics-java and the older mobile libraries batch to `/v1/import`, Segment's first
  // name for `/v1/batch`); RudderStack's browser SDK with `useBeacon` to its beacon path.
  for (const path of ['/v1/batch', '/v1/b', '/v1/import', BEACON_PATH]) {
    app.post(path, (request, reply) => ingest(request, reply, undefined));
  }
  for (const type of EVENT_TYPES) {
    const handler = (request: FastifyRequest, reply: FastifyReply) => ingest(request, reply, type);
    app.post(`/v1/${type}`, handler);
    app.post(`/v1/${type[0]}`, handler);
  }
};
