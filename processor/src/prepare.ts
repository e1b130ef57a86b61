import { jsonEachRowLine } from './clickhouse/insert-lines.js';
import { decodeRecord } from './decode.js';
import { toEventRow, toIdentityRow } from './rows.js';
import type { DeadLetterStage, SourceMessage, WorkItem } from './work.js';

/** What one message's value becomes: its rows as JSONEachRow lines, or why it cannot load. */
export type Prepared =
  | { ok: true; eventLine: string; identityLine: string | undefined }
  | { ok: false; stage: DeadLetterStage; reason: string };

/** A message's bytes → its rows, serialized (pure: runs on a prepare thread or inline). */
export function prepareValue(value: Buffer | null): Prepared {
  const decoded = decodeRecord(value);
  if (!decoded.ok) return decoded;
  try {
    const identity = toIdentityRow(decoded.record);
    return {
      ok: true,
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
    ? { kind: 'load', source, eventLine: prepared.eventLine, identityLine: prepared.identityLine }
    : { kind: 'dead', source, stage: prepared.stage, reason: prepared.reason };
}

/** A consumed message → rows to load, or a dead letter saying why it cannot be loaded. */
export function prepare(source: SourceMessage): WorkItem {
  return toWorkItem(source, prepareValue(source.value));
}
