import type { EventOutcome, EventValidation } from '@waymark/contract/record';
import { jsonEachRowLine } from './clickhouse/insert-lines.js';
import { decodeRecord } from './decode.js';
import { eventLine, toIdentityRow } from './rows.js';
import type { DeadLetterStage, EventSubject, RowLine, SourceMessage, WorkItem } from './work.js';

/** What one event of a message becomes: its rows as JSONEachRow lines, or why it cannot load. */
export type PreparedEvent =
  | {
      ok: true;
      eventLine: RowLine;
      identityLine: string | undefined;
      /** The event's ids; from a prepare thread only when asked for (prepare-batch.ts). */
      subject: EventSubject | undefined;
    }
  | { ok: false; stage: DeadLetterStage; reason: string };

/** What one message's value becomes: each of its events prepared, or why none can load. */
export type Prepared =
  | { ok: true; events: PreparedEvent[] }
  | { ok: false; stage: DeadLetterStage; reason: string };

function prepareEvent(outcome: EventOutcome, shared: object): PreparedEvent {
  if (!outcome.ok) return { ok: false, stage: 'validate', reason: outcome.reason };
  try {
    const { record } = outcome;
    const identity = toIdentityRow(record);
    return {
      ok: true,
      subject: {
        projectId: record.projectId,
        anonymousId: record.event.anonymousId ?? '',
        userId: record.event.userId ?? '',
        previousId: record.event.previousId ?? '',
      },
      eventLine: eventLine(record, shared),
      identityLine: identity === undefined ? undefined : jsonEachRowLine(identity),
    };
  } catch (err) {
    // Enrichment bugs must not block the partition either.
    return { ok: false, stage: 'validate', reason: `enrichment failed: ${String(err)}` };
  }
}

/** A message's bytes → its events' rows, serialized (pure: runs on a prepare thread or inline). */
export function prepareValue(value: Buffer | null, validation?: EventValidation): Prepared {
  const decoded = decodeRecord(value, validation);
  if (!decoded.ok) return decoded;
  // The events of one record share its fields: their columns are serialized once (rows.ts).
  const shared = decoded.events;
  return { ok: true, events: decoded.events.map((event) => prepareEvent(event, shared)) };
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
          eventLine: event.eventLine,
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
