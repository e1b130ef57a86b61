import { type Prepared, type PreparedEvent, prepareValue } from './prepare.js';
import type { DeadLetterStage, EventSubject } from './work.js';

/**
 * What crosses to a prepare thread and back. Messages go as one buffer (transferred, not
 * copied) and come back as one string of event lines (one per event, a message holding one or
 * many) with their ends: a structured clone of
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
  /** Every loadable event's line, back to back, as UTF-8 (transferred, not copied). */
  eventBytes: Uint8Array<ArrayBuffer>;
  /** Per event, all messages' events in order: where its line ends in `eventBytes`. */
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

/**
 * The lines as one UTF-8 buffer that owns its memory (so it can be transferred), and where each
 * line ends in it. All-ASCII text, the usual case, needs no second pass: bytes are characters.
 */
function encodeLines(lines: readonly string[]): { bytes: Uint8Array<ArrayBuffer>; ends: number[] } {
  const text = lines.join('');
  let encoded: Uint8Array<ArrayBuffer> = Buffer.from(text) as Uint8Array<ArrayBuffer>;
  // Small buffers come from Node's shared pool, which must not be transferred.
  if (encoded.byteOffset !== 0 || encoded.buffer.byteLength !== encoded.byteLength) {
    encoded = new Uint8Array(encoded);
  }
  const ascii = encoded.byteLength === text.length;
  const ends: number[] = [];
  let at = 0;
  for (const line of lines) {
    at += ascii ? line.length : Buffer.byteLength(line);
    ends.push(at);
  }
  return { bytes: encoded, ends };
}

/** Runs on a prepare thread: every value of the request through `prepareValue`. */
export function prepareRequest({ id, bytes, ends, withSubjects }: PrepareRequest): PrepareResponse {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lines: string[] = [];
  /** Per line: the index of its event. */
  const lineOf: number[] = [];
  let events = 0;
  const counts = new Uint32Array(ends.length);
  const identityLines: [number, string][] = [];
  const dead: [number, DeadLetterStage, string][] = [];
  const refused: [number, DeadLetterStage, string][] = [];
  const subjects: PrepareResponse['subjects'] = [];
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] ?? -1;
    const value = end === -1 ? null : buffer.subarray(start, end);
    if (end !== -1) start = end;
    const prepared = prepareValue(value);
    if (!prepared.ok) {
      refused.push([i, prepared.stage, prepared.reason]);
      continue;
    }
    counts[i] = prepared.events.length;
    for (const event of prepared.events) {
      const e = events++;
      if (event.ok) {
        lines.push(event.eventLine as string);
        lineOf.push(e);
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
  const { bytes: eventBytes, ends: lineEnds } = encodeLines(lines);
  const eventEnds = new Uint32Array(events);
  let at = 0;
  let line = 0;
  for (let e = 0; e < events; e++) {
    if (lineOf[line] === e) at = lineEnds[line++] ?? at;
    eventEnds[e] = at;
  }
  return {
    id,
    eventBytes,
    eventEnds,
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
              // A view of the transferred bytes: no copy until the insert joins them.
              eventLine: bytes.subarray(start, end),
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
