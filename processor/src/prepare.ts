import type { EventOutcome, EventValidation } from '@waymark/contract/record';
import { jsonEachRowLine } from './clickhouse/insert-lines.js';
import { RowWriter } from './clickhouse/row-binary.js';
import { decodeRecord } from './decode.js';
import { toIdentityRow, writeEventRow } from './rows.js';
import type { DeadLetterStage, EventSubject, SourceMessage, WorkItem } from './work.js';

/**
 * What one event of a message becomes: its events row as RowBinary and its identities row as a
 * JSONEachRow line, or why it cannot load. `Row` is the row's bytes, or — prepared into a writer
 * shared by many messages (`prepareInto`) — where they end in it.
 */
export type PreparedEvent<Row = Uint8Array> =
  | {
      ok: true;
      eventRow: Row;
      identityLine: string | undefined;
      /** The event's ids; from a prepare thread only when asked for (prepare-batch.ts). */
      subject: EventSubject | undefined;
    }
  | { ok: false; stage: DeadLetterStage; reason: string };

/** What one message's value becomes: each of its events prepared, or why none can load. */
export type Prepared<Row = Uint8Array> =
  | { ok: true; events: PreparedEvent<Row>[] }
  | { ok: false; stage: DeadLetterStage; reason: string };

function prepareEvent(
  outcome: EventOutcome,
  shared: object,
  rows: RowWriter,
): PreparedEvent<number> {
  if (!outcome.ok) return { ok: false, stage: 'validate', reason: outcome.reason };
  const start = rows.length;
  try {
    const { record } = outcome;
    const identity = toIdentityRow(record);
    writeEventRow(rows, record, shared);
    return {
      ok: true,
      subject: {
        projectId: record.projectId,
        anonymousId: record.event.anonymousId ?? '',
        userId: record.event.userId ?? '',
        previousId: record.event.previousId ?? '',
      },
      eventRow: rows.length,
      identityLine: identity === undefined ? undefined : jsonEachRowLine(identity),
    };
  } catch (err) {
    // Enrichment bugs must not block the partition either.
    rows.truncate(start);
    return { ok: false, stage: 'validate', reason: `enrichment failed: ${String(err)}` };
  }
}

/**
 * A message's bytes → its events' rows, appended to `rows`; each loadable event says where its
 * row ends there (pure: runs on a prepare thread, for many messages into one writer, or inline).
 */
export function prepareInto(
  value: Buffer | null,
  rows: RowWriter,
  validation?: EventValidation,
): Prepared<number> {
  const decoded = decodeRecord(value, validation);
  if (!decoded.ok) return decoded;
  // The events of one record share its fields: their columns are encoded once (rows.ts).
  const shared = decoded.events;
  return { ok: true, events: decoded.events.map((event) => prepareEvent(event, shared, rows)) };
}

/** A message's bytes → its events' rows, each its own bytes. */
export function prepareValue(value: Buffer | null, validation?: EventValidation): Prepared {
  const rows = new RowWriter(Math.max(1024, (value?.length ?? 0) * 2));
  const prepared = prepareInto(value, rows, validation);
  if (!prepared.ok) return prepared;
  const bytes = rows.finish();
  let start = 0;
  return {
    ok: true,
    events: prepared.events.map((event) => {
      if (!event.ok) return event;
      const eventRow = bytes.subarray(start, event.eventRow);
      start = event.eventRow;
      return { ...event, eventRow };
    }),
  };
}

/**
 * Joins a message with what its value became: one work item per event, so that an invalid
 * event is dead-lettered alone while its neighbours load. An event of a record of several says
 * which it is (`source.event`): its dead letter carries it alone.
 */
export function toWorkItems(source: SourceMessage, prepared: Prepared): WorkItem[] {
  if (!prepared.ok) {
    return [{ kind: 'dead', source, stage: prepared.stage, reason: prepared.reason }];
  }
  const of = prepared.events.length;
  return prepared.events.map((event, index): WorkItem => {
    const from = of > 1 ? { ...source, event: { index, of } } : source;
    return event.ok
      ? {
          kind: 'load',
          source: from,
          eventRow: event.eventRow,
          identityLine: event.identityLine,
          subject: event.subject,
        }
      : { kind: 'dead', source: from, stage: event.stage, reason: event.reason };
  });
}

/** A consumed message → rows to load, or dead letters saying why they cannot be loaded. */
export function prepare(source: SourceMessage): WorkItem[] {
  return toWorkItems(source, prepareValue(source.value));
}
