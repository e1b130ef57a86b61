import { jsonEachRowLine } from './clickhouse/insert-lines.js';
import { decodeRecord } from './decode.js';
import { toEventRow, toIdentityRow } from './rows.js';
import type { DeadLetterStage, EventSubject, SourceMessage, WorkItem } from './work.js';

/** What one message's value becomes: its rows as JSONEachRow lines, or why it cannot load. */
export type Prepared =
  | {
      ok: true;
      eventLine: string;
      identityLine: string | undefined;
      /** The event's ids; from a prepare thread only when asked for (prepare-batch.ts). */
      subject: EventSubject | undefined;
    }
  | { ok: false; stage: DeadLetterStage; reason: string };

/** A message's bytes → its rows, serialized (pure: runs on a prepare thread or inline). */
export function prepareValue(value: Buffer | null): Prepared {
  const decoded = decodeRecord(value);
  if (!decoded.ok) return decoded;
  try {
    const { record } = decoded;
    const identity = toIdentityRow(record);
    return {
      ok: true,
      subject: {
        projectId: record.projectId,
        anonymousId: record.event.anonymousId ?? '',
        userId: record.event.userId ?? '',
        previousId: record.event.previousId ?? '',
      },
      eventLine: jsonEachRowLine(toEventRow(decoded.record)),
      identityLine: identity === undefined ? undefined : jsonEachRowLine(identity),
    };
  } catch (err) {
    // Enrichment bugs must not block the partition either.
    return { ok: false, stage: 'validate', reason: `enrichment failed: ${String(err)}` };
  }
}

/** Joins a message with what its value became. */
export function toWorkItem(source: SourceMessage, prepared: Prepared): WorkItem {
  return prepared.ok
    ? {
        kind: 'load',
        source,
        eventLine: prepared.eventLine,
        identityLine: prepared.identityLine,
        subject: prepared.subject,
      }
    : { kind: 'dead', source, stage: prepared.stage, reason: prepared.reason };
}

/** A consumed message → rows to load, or a dead letter saying why it cannot be loaded. */
export function prepare(source: SourceMessage): WorkItem {
  return toWorkItem(source, prepareValue(source.value));
}
