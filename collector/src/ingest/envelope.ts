/**
 * The request around the events: for `/v1/batch` the `{ batch, sentAt, context }` envelope, for
 * `/v1/track` & co the body is the event. Problems here refuse the whole request.
 */

import { LIMITS } from '@waymark/contract/limits';
import type { WireContext } from '@waymark/contract/wire';
import { envelopeSchema } from '@waymark/contract/wire-schema';
import { CollectorError } from '../errors.js';
import { withoutSegmentNulls } from './nulls.js';
import { isPlainObject } from './plain-object.js';
import { checkStructure } from './structure.js';

export interface Envelope {
  rawEvents: readonly unknown[];
  sentAt: string | undefined;
  context: WireContext | undefined;
}

export function readEnvelope(raw: unknown, single: boolean): Envelope {
  if (!isPlainObject(raw)) {
    throw new CollectorError('WAYMARK_ERR_INVALID_BODY', 'body must be a JSON object');
  }
  if (single) return { rawEvents: [raw], sentAt: undefined, context: undefined };
  // `"sentAt": null`, `"context": null` and the like mean absent, as for events (nulls.ts).
  const body = withoutSegmentNulls(raw);
  const batch = body.batch;
  if (!Array.isArray(batch)) {
    throw new CollectorError('WAYMARK_ERR_INVALID_BODY', '"batch" must be an array of events');
  }
  if (batch.length === 0) throw new CollectorError('WAYMARK_ERR_INVALID_BODY', '"batch" is empty');
  if (batch.length > LIMITS.maxBatchEvents) {
    throw new CollectorError(
      'WAYMARK_ERR_TOO_MANY_EVENTS',
      `batch has ${batch.length} events, over the ${LIMITS.maxBatchEvents}-event limit`,
    );
  }
  // Bounded before zod sees it, like every event.
  const contextProblem = checkStructure(body.context);
  if (contextProblem) {
    const at = contextProblem.path === '' ? '' : `.${contextProblem.path}`;
    throw new CollectorError('WAYMARK_ERR_INVALID_BODY', `context${at}: ${contextProblem.reason}`);
  }
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    throw new CollectorError(
      'WAYMARK_ERR_INVALID_BODY',
      `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return { rawEvents: batch, sentAt: envelope.data.sentAt, context: envelope.data.context };
}
