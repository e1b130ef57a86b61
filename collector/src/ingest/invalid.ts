/**
 * The invalid-events topic record of a refused event: the reason, and an allow-list summary of
 * the event (`RefusedEventSummary`). A refused event is still personal data — traits with an
 * email, a raw `context.ip` — and it must not keep more than an accepted event is stored with:
 * the IP is anonymized as for accepted events, values outside the list are dropped.
 */

import { LIMITS } from '@waymark/contract/limits';
import type { InvalidEventRecord, RefusedEventSummary } from '@waymark/contract/record';
import type { ProducedRecord } from '../kafka.js';
import type { Rejection, RequestFacts } from './event.js';
import { storedIp } from './ip.js';
import { isPlainObject } from './plain-object.js';

/** A string the client sent, cut to the id limit; null for anything else. */
const text = (value: unknown): string | null =>
  typeof value === 'string' ? value.slice(0, LIMITS.maxIdLength) : null;

function summarize(raw: unknown, facts: RequestFacts): RefusedEventSummary {
  const event = isPlainObject(raw) ? raw : {};
  const context = isPlainObject(event.context) ? event.context : {};
  const library = isPlainObject(context.library) ? context.library : {};
  const libraryName = text(library.name);
  const libraryVersion = text(library.version);
  const contextIp = text(context.ip) ?? text(facts.context?.ip) ?? undefined;
  return {
    // On /v1/track & co the path decides the type, as for accepted events.
    type: facts.type ?? text(event.type),
    event: text(event.event),
    name: text(event.name),
    anonymousId: text(event.anonymousId),
    timestamp: text(event.timestamp),
    sentAt: text(event.sentAt),
    library:
      libraryName !== null && libraryVersion !== null
        ? { name: libraryName, version: libraryVersion }
        : null,
    ip: storedIp(contextIp, facts.requestIp, facts.keepIp),
  };
}

export function invalidRecord(
  facts: RequestFacts,
  raw: unknown,
  rejection: Rejection,
): ProducedRecord {
  const event = summarize(raw, facts);
  const record: InvalidEventRecord = {
    projectId: facts.projectId,
    receivedAt: facts.receivedAt,
    index: rejection.index,
    messageId: rejection.messageId,
    code: rejection.code,
    path: rejection.path,
    reason: rejection.reason,
    event,
  };
  // Same key scheme as valid events, so a person's refusals sit beside their events.
  return { key: `${facts.projectId}:${event.anonymousId ?? ''}`, value: JSON.stringify(record) };
}
