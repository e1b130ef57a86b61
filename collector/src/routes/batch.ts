import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { CollectorConfig } from '../config.js';
import type { EventSink } from '../kafka.js';
import { type CollectedEvent, recordKey } from '../record.js';
import { batchSchema } from '../wire-schema.js';

interface BatchRouteOptions {
  config: CollectorConfig;
  sink: EventSink;
}

function writeKeyFrom(authorization: string | undefined, bodyKey: string | undefined) {
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    return decoded.split(':')[0];
  }
  return bodyKey;
}

export const batchRoute: FastifyPluginAsync<BatchRouteOptions> = async (app, { config, sink }) => {
  const projectsByKey = new Map(config.projects.map((p) => [p.writeKey, p.id]));

  app.post('/v1/batch', async (request, reply) => {
    const parsed = batchSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reply
        .code(400)
        .send({ error: 'Bad Request', message: `${issue?.path.join('.')}: ${issue?.message}` });
    }
    const projectId = projectsByKey.get(
      writeKeyFrom(request.headers.authorization, parsed.data.writeKey) ?? '',
    );
    if (projectId === undefined)
      return reply.code(401).send({ error: 'Unauthorized', message: 'unknown write key' });

    const receivedAt = new Date().toISOString();
    const records = parsed.data.batch.map((event) => {
      // Skeleton: the collector issue adds classification, skew correction and IP handling.
      const direct = {
        channel: 'direct' as const,
        source: '',
        medium: '',
        campaign: '',
        term: '',
        content: '',
        clickIdType: '',
        referrerHost: '',
      };
      const record: CollectedEvent = {
        projectId,
        receivedAt,
        timestamp: event.timestamp ?? receivedAt,
        ip: '',
        sessionTouch: direct,
        firstTouch: direct,
        event: { ...event, messageId: event.messageId ?? randomUUID() },
      };
      return { key: recordKey(projectId, event), value: JSON.stringify(record) };
    });
    try {
      await sink.send(records);
    } catch (err) {
      request.log.warn({ err }, 'kafka produce failed');
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: 'Service Unavailable', message: 'event store unavailable, retry' });
    }
    return { success: true, accepted: records.length };
  });
};
