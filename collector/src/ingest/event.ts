/**
 * One raw event → the Kafka record, or the reason it is refused. Order matters: cheap shape checks
 * first (they bound the cost of everything after), then size, schema, identity and time.
 */
import { randomUUID } from 'node:crypto';
import { LIMITS } from '@waymark/contract/limits';
import { type CollectedEvent, recordKey } from '@waymark/contract/record';
import type { EventType, WireContext } from '@waymark/contract/wire';
import { eventSchema } from '@waymark/contract/wire-schema';
import type { EventErrorCode } from '../errors.js';
import { storedIp } from './ip.js';
import { withoutSegmentNulls } from './nulls.js';
import { isPlainObject } from './plain-object.js';
import { checkStructure } from './structure.js';
import { correctTimestamp } from './time.js';
import { touchesOf } from './touch.js';

/** What one request contributes to each of its events. */
export interface RequestFacts {
  projectId: string;
  keepIp: boolean;
  receivedAtMs: number;
  receivedAt: string;
  /** The connection's (or trusted proxy's forwarded) address. */
  requestIp: string;
  /** The batch's `sentAt`, used when an event carries none. */
  sentAt: string | undefined;
  /** The batch's `context`, merged under each event's own. */
  context: WireContext | undefined;
  /** Decoded body size: below the event limit, events need no size check of their own. */
  bodyBytes: number;
  /** Set by `/v1/track` & co: the path decides the type. */
  type: EventType | undefined;
}

export interface Rejection {
  index: number;
  messageId: string | null;
  code: EventErrorCode;
  /** Dotted path of the offending field ('' for the event itself). */
  path: string;
  reason: string;
}

export type Prepared =
  | { ok: true; key: string; record: CollectedEvent }
  | { ok: false; rejection: Rejection };

function rawMessageId(raw: unknown): string | null {
  if (!isPlainObject(raw) || typeof raw.messageId !== 'string') return null;
  return raw.messageId.slice(0, LIMITS.maxIdLength);
}

function refuse(
  raw: unknown,
  index: number,
  code: EventErrorCode,
  path: string,
  reason: string,
): Prepared {
  return { ok: false, rejection: { index, messageId: rawMessageId(raw), code, path, reason } };
}

export function prepareEvent(raw: unknown, index: number, facts: RequestFacts): Prepared {
  if (!isPlainObject(raw))
    return refuse(raw, index, 'WAYMARK_ERR_EVENT_NOT_OBJECT', '', 'must be an object');
  const problem = checkStructure(raw);
  if (problem) return refuse(raw, index, problem.code, problem.path, problem.reason);

  let input = withoutSegmentNulls(raw);
  if (facts.type !== undefined || facts.context !== undefined) {
    input = input === raw ? { ...raw } : input;
    if (facts.type !== undefined) input.type = facts.type;
    if (facts.context !== undefined) {
      input.context = isPlainObject(input.context)
        ? { ...facts.context, ...input.context }
        : (input.context ?? facts.context);
    }
  }
  // A body smaller than the event limit cannot hold a larger event (the batch context merged in
  // came from the same body), so only larger bodies pay for measuring each event. Depth is
  // bounded by now, so serializing cannot overflow the stack.
  const bytes =
    facts.bodyBytes + 64 <= LIMITS.maxEventBytes ? 0 : Buffer.byteLength(JSON.stringify(input));
  if (bytes > LIMITS.maxEventBytes) {
    return refuse(
      raw,
      index,
      'WAYMARK_ERR_EVENT_TOO_LARGE',
      '',
      `event is ${bytes} bytes, over the ${LIMITS.maxEventBytes}-byte limit`,
    );
  }

  const parsed = eventSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(
      raw,
      index,
      'WAYMARK_ERR_EVENT_SCHEMA',
      issue?.path.join('.') ?? '',
      issue?.message ?? '',
    );
  }
  const event = parsed.data;
  if (event.anonymousId === undefined && event.userId === undefined) {
    return refuse(
      raw,
      index,
      'WAYMARK_ERR_EVENT_NO_IDENTITY',
      'anonymousId',
      'anonymousId or userId required',
    );
  }
  // RudderStack's libraries send the event time as `originalTimestamp`, never `timestamp`.
  const time = correctTimestamp(
    facts.receivedAtMs,
    event.timestamp ?? event.originalTimestamp,
    event.sentAt ?? facts.sentAt,
  );
  if (!time.ok) {
    const field =
      event.timestamp === undefined && event.originalTimestamp !== undefined
        ? 'originalTimestamp'
        : 'timestamp';
    return refuse(raw, index, 'WAYMARK_ERR_EVENT_TIMESTAMP', field, time.reason);
  }

  // Server libraries forward the end user's IP in context.ip; browsers never set it.
  const ip = storedIp(event.context?.ip, facts.requestIp, facts.keepIp);
  if (event.context?.ip !== undefined) event.context.ip = ip;

  // The schema's output is ours to complete (no copy): an absent messageId goes last, as before.
  event.messageId ??= randomUUID();
  const { sessionTouch, firstTouch } = touchesOf(event);
  const record: CollectedEvent = {
    projectId: facts.projectId,
    receivedAt: facts.receivedAt,
    timestamp: time.timestamp,
    ip,
    sessionTouch,
    firstTouch,
    event: event as CollectedEvent['event'],
  };
  return { ok: true, key: recordKey(facts.projectId, event), record };
}
