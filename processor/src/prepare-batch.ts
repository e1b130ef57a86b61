import { RowWriter } from './clickhouse/row-binary.js';
import { type Prepared, type PreparedEvent, prepareInto } from './prepare.js';
import type { DeadLetterStage, EventSubject } from './work.js';

/**
 * What crosses to a prepare thread and back. Messages go as one buffer (transferred, not
 * copied) and come back as one buffer of events rows (RowBinary, one per event, a message
 * holding one or many) with their ends: a structured clone of
 * thousands of small objects would cost the event loop more than preparing them saved.
 */
export interface PrepareRequest {
  id: number;
  /** The message values, back to back. */
  bytes: Uint8Array<ArrayBuffer>;
  /** Per message: where its value ends in `bytes`, or -1 for a message without a value. */
  ends: Int32Array<ArrayBuffer>;
  /** Send each event's ids back (someone was erased: the loader checks them). */
  withSubjects: boolean;
}

export interface PrepareResponse {
  id: number;
  /** Every loadable event's row, back to back (transferred, not copied). */
  eventBytes: Uint8Array<ArrayBuffer>;
  /** Per event, all messages' events in order: where its row ends in `eventBytes`. */
  eventEnds: Uint32Array<ArrayBuffer>;
  /** Per message: how many events it held (0 for one refused as a whole). */
  counts: Uint32Array<ArrayBuffer>;
  /** [event index, identities line] for the events that link ids. */
  identityLines: [number, string][];
  /** [event index, stage, reason] for the events that cannot be loaded. */
  dead: [number, DeadLetterStage, string][];
  /** [message index, stage, reason] for the messages that cannot be read at all. */
  refused: [number, DeadLetterStage, string][];
  /** [event index, project, anonymous id, user id, previous id], when asked. */
  subjects: [number, string, string, string, string][];
}

export function packValues(
  id: number,
  values: readonly (Buffer | null)[],
  withSubjects = false,
): PrepareRequest {
  let size = 0;
  for (const value of values) size += value?.length ?? 0;
  const bytes = new Uint8Array(size);
  const ends = new Int32Array(values.length);
  let at = 0;
  values.forEach((value, i) => {
    if (value === null) {
      ends[i] = -1;
      return;
    }
    bytes.set(value, at);
    at += value.length;
    ends[i] = at;
  });
  return { id, bytes, ends, withSubjects };
}

/** Runs on a prepare thread: every value of the request through `prepareInto`, into one buffer. */
export function prepareRequest({ id, bytes, ends, withSubjects }: PrepareRequest): PrepareResponse {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // RowBinary rows take about as many bytes as the JSON they come from.
  const rows = new RowWriter(bytes.byteLength + 1024);
  const rowEnds: number[] = [];
  const counts = new Uint32Array(ends.length);
  const identityLines: [number, string][] = [];
  const dead: [number, DeadLetterStage, string][] = [];
  const refused: [number, DeadLetterStage, string][] = [];
  const subjects: PrepareResponse['subjects'] = [];
  let start = 0;
  let rowEnd = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] ?? -1;
    const value = end === -1 ? null : buffer.subarray(start, end);
    if (end !== -1) start = end;
    const prepared = prepareInto(value, rows);
    if (!prepared.ok) {
      refused.push([i, prepared.stage, prepared.reason]);
      continue;
    }
    counts[i] = prepared.events.length;
    for (const event of prepared.events) {
      const e = rowEnds.length;
      // A dead event's row is empty: it ends where the previous one did.
      if (event.ok) rowEnd = event.eventRow;
      rowEnds.push(rowEnd);
      if (event.ok) {
        if (event.identityLine !== undefined) identityLines.push([e, event.identityLine]);
        if (withSubjects && event.subject !== undefined) {
          const { projectId, anonymousId, userId, previousId } = event.subject;
          subjects.push([e, projectId, anonymousId, userId, previousId]);
        }
      } else {
        dead.push([e, event.stage, event.reason]);
      }
    }
  }
  return {
    id,
    // Its own ArrayBuffer (never Node's shared pool), so it can be transferred.
    eventBytes: rows.finish() as Uint8Array<ArrayBuffer>,
    eventEnds: Uint32Array.from(rowEnds),
    counts,
    identityLines,
    dead,
    refused,
    subjects,
  };
}

/** Back on the event loop: the response as one `Prepared` per message, in order. */
export function unpackPrepared(response: PrepareResponse): Prepared[] {
  const identities = new Map(response.identityLines);
  const subjects = new Map<number, EventSubject>(
    response.subjects.map(([i, projectId, anonymousId, userId, previousId]) => [
      i,
      { projectId, anonymousId, userId, previousId },
    ]),
  );
  const dead = new Map(response.dead.map(([i, stage, reason]) => [i, { stage, reason }]));
  const refused = new Map(response.refused.map(([i, stage, reason]) => [i, { stage, reason }]));
  const prepared: Prepared[] = [];
  const bytes = Buffer.from(
    response.eventBytes.buffer,
    response.eventBytes.byteOffset,
    response.eventBytes.byteLength,
  );
  let e = 0;
  let start = 0;
  for (let i = 0; i < response.counts.length; i++) {
    const whole = refused.get(i);
    if (whole) {
      prepared.push({ ok: false, ...whole });
      continue;
    }
    const events: PreparedEvent[] = [];
    const count = response.counts[i] ?? 0;
    for (let k = 0; k < count; k++, e++) {
      const end = response.eventEnds[e] ?? start;
      const failed = dead.get(e);
      events.push(
        failed
          ? { ok: false, ...failed }
          : {
              ok: true,
              // A view of the transferred bytes: neighbours stay adjacent, so the insert sends
              // them as they are, uncopied (insert-lines.ts).
              eventRow: bytes.subarray(start, end),
              identityLine: identities.get(e),
              subject: subjects.get(e),
            },
      );
      start = end;
    }
    prepared.push({ ok: true, events });
  }
  return prepared;
}
