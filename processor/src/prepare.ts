import { jsonEachRowLine } from './clickhouse/insert-lines.js';
import { decodeRecord } from './decode.js';
import { toEventRow, toIdentityRow } from './rows.js';
import type { SourceMessage, WorkItem } from './work.js';

/** A consumed message → rows to load, or a dead letter saying why it cannot be loaded. */
export function prepare(source: SourceMessage): WorkItem {
  const decoded = decodeRecord(source.value);
  if (!decoded.ok) return { kind: 'dead', source, stage: decoded.stage, reason: decoded.reason };
  try {
    return {
      kind: 'load',
      source,
      eventLine: jsonEachRowLine(toEventRow(decoded.record)),
      identity: toIdentityRow(decoded.record),
    };
  } catch (err) {
    // Enrichment bugs must not block the partition either.
    return { kind: 'dead', source, stage: 'validate', reason: `enrichment failed: ${String(err)}` };
  }
}
