import { type EventValidation, type RecordEvents, recordEvents } from '@waymark/contract/record';

export type Decoded =
  | Extract<RecordEvents, { ok: true }>
  | { ok: false; stage: 'parse' | 'validate'; reason: string };

/**
 * Kafka bytes → the record's events, each validated on its own, or why the record as a whole
 * cannot be read (the reason goes to the dead-letter topic). Both record versions: a version-1
 * record (one event, from before the upgrade) and a version-2 one (a request's events of one
 * person), told apart by its `v` field (contract/src/record.ts).
 */
export function decodeRecord(value: Buffer | null, validation?: EventValidation): Decoded {
  if (value === null || value.length === 0) {
    return { ok: false, stage: 'parse', reason: 'empty message (no value)' };
  }
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (err) {
    return { ok: false, stage: 'parse', reason: `not JSON: ${(err as Error).message}` };
  }
  const read = recordEvents(json, validation);
  return read.ok ? read : { ok: false, stage: 'validate', reason: read.reason };
}
