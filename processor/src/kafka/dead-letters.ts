import { LIMITS } from '@waymark/contract/limits';
import { singleEventValue } from '@waymark/contract/record';
import type { Message } from 'kafkajs';
import type { DeadLetterStage, SourceMessage } from '../work.js';

/**
 * A dead letter is the original message, byte for byte (value and key), with headers that say
 * why and where it came from, so it can be inspected and, once fixed, produced again as is. For
 * one event of a record holding several, it is that record with the event alone (its neighbours
 * loaded), and a header says which event of the source record it was. One too large for the
 * dead-letter topic becomes a stub instead (`toStubMessage`).
 */
export const DEAD_LETTER_HEADERS = {
  reason: 'waymark-dead-letter-reason',
  stage: 'waymark-dead-letter-stage',
  sourceTopic: 'waymark-source-topic',
  sourcePartition: 'waymark-source-partition',
  sourceOffset: 'waymark-source-offset',
  /** For one event of a record of several: 'index/of' (index from 0). */
  sourceEvent: 'waymark-source-event',
  failedAt: 'waymark-dead-letter-at',
  /** On a stub only: the byte length of the original value it stands for. */
  stub: 'waymark-dead-letter-stub',
} as const;

export interface DeadLetter {
  source: SourceMessage;
  stage: DeadLetterStage;
  reason: string;
}

// Headers are small; a runaway ClickHouse message (it may quote the row) is cut.
const MAX_REASON_LENGTH = 2000;
/** Bytes of the original value a stub keeps, as text: enough to recognise the message. */
export const STUB_VALUE_BYTES = 4096;
/** A stub's key: the original's, cut (it only places the stub in a partition). */
const STUB_KEY_BYTES = 1024;
/** Message ids a stub lists at most (a request's worth), each cut to the id limit. */
const STUB_MAX_IDS = LIMITS.maxBatchEvents;
const STUB_ID_LENGTH = LIMITS.maxIdLength;

/** The value a dead letter carries: the source's, or its one event alone. */
function carriedValue({ source }: DeadLetter): Buffer | null {
  return source.event === undefined || source.value === null
    ? source.value
    : singleEventValue(source.value, source.event.index);
}

function headersOf({ source, stage, reason }: DeadLetter, now: Date): Record<string, string> {
  const event = source.event;
  return {
    ...(event === undefined
      ? {}
      : { [DEAD_LETTER_HEADERS.sourceEvent]: `${event.index}/${event.of}` }),
    [DEAD_LETTER_HEADERS.reason]: reason.slice(0, MAX_REASON_LENGTH),
    [DEAD_LETTER_HEADERS.stage]: stage,
    [DEAD_LETTER_HEADERS.sourceTopic]: source.topic,
    [DEAD_LETTER_HEADERS.sourcePartition]: String(source.partition),
    [DEAD_LETTER_HEADERS.sourceOffset]: source.offset,
    [DEAD_LETTER_HEADERS.failedAt]: now.toISOString(),
  };
}

export function toDeadLetterMessage(letter: DeadLetter, now: Date): Message {
  return { key: letter.source.key, value: carriedValue(letter), headers: headersOf(letter, now) };
}

/** What a message costs the broker before compression: key, value and headers. */
export function messageBytes(message: Message): number {
  let total = sizeOf(message.key) + sizeOf(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    total += Buffer.byteLength(name) + sizeOf(value as string | Buffer | undefined);
  }
  return total;
}

function sizeOf(value: string | Buffer | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/**
 * The project and message ids a record names, read best effort from its JSON: the value may be
 * anything anyone produced to the events topic, so nothing here is trusted or required.
 */
function namedIn(value: Buffer | null): { projectId: string; messageIds: string[] } {
  let parsed: unknown;
  try {
    parsed = value === null ? undefined : JSON.parse(value.toString('utf8'));
  } catch {
    return { projectId: '', messageIds: [] };
  }
  const record = (isObject(parsed) ? parsed : {}) as Record<string, unknown>;
  // Version 1: `event`; version 2: `events[i].event`.
  const entries = Array.isArray(record.events) ? record.events : [];
  const events = [record.event, ...entries.map((e) => (isObject(e) ? e.event : undefined))];
  const messageIds = events
    .map((e) => (isObject(e) ? (e as Record<string, unknown>).messageId : undefined))
    .filter((id): id is string => typeof id === 'string')
    .slice(0, STUB_MAX_IDS)
    .map((id) => id.slice(0, STUB_ID_LENGTH));
  const projectId =
    typeof record.projectId === 'string'
      ? record.projectId.slice(0, LIMITS.maxProjectIdLength)
      : '';
  return { projectId, messageIds };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A dead letter too large for its topic, as a small JSON value that says what it was: the
 * reason, the project and message ids the record names, its size and its first
 * STUB_VALUE_BYTES bytes as text. The full original stays in the events topic until retention
 * removes it (the stub's source headers say where).
 */
export function toStubMessage(letter: DeadLetter, now: Date): Message {
  const { source } = letter;
  const original = carriedValue(letter);
  const valueBytes = original?.length ?? 0;
  const value = {
    stub: true,
    reason: letter.reason.slice(0, MAX_REASON_LENGTH),
    ...namedIn(original),
    valueBytes,
    // Bytes that are not UTF-8 become U+FFFD: the head is for reading, the original is in Kafka.
    valueHead: original?.subarray(0, STUB_VALUE_BYTES).toString('utf8') ?? '',
  };
  return {
    key: source.key?.subarray(0, STUB_KEY_BYTES) ?? null,
    value: JSON.stringify(value),
    headers: { ...headersOf(letter, now), [DEAD_LETTER_HEADERS.stub]: String(valueBytes) },
  };
}
