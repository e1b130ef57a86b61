import { type Prepared, prepareValue } from './prepare.js';
import type { DeadLetterStage, EventSubject } from './work.js';

/**
 * What crosses to a prepare thread and back. Messages go as one buffer (transferred, not
 * copied) and come back as one string of event lines with their ends: a structured clone of
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
  /** Every loadable message's event line, back to back. */
  eventLines: string;
  /** Per message: where its event line ends in `eventLines` (empty for a dead letter). */
  eventEnds: Uint32Array<ArrayBuffer>;
  /** [message index, identities line] for the identify events. */
  identityLines: [number, string][];
  /** [message index, stage, reason] for the messages that cannot be loaded. */
  dead: [number, DeadLetterStage, string][];
  /** [message index, project, anonymous id, user id, previous id], when asked. */
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

/** Runs on a prepare thread: every value of the request through `prepareValue`. */
export function prepareRequest({ id, bytes, ends, withSubjects }: PrepareRequest): PrepareResponse {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lines: string[] = [];
  const eventEnds = new Uint32Array(ends.length);
  const identityLines: [number, string][] = [];
  const dead: [number, DeadLetterStage, string][] = [];
  const subjects: PrepareResponse['subjects'] = [];
  let start = 0;
  let length = 0;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] ?? -1;
    const value = end === -1 ? null : buffer.subarray(start, end);
    if (end !== -1) start = end;
    const prepared = prepareValue(value);
    if (prepared.ok) {
      lines.push(prepared.eventLine);
      length += prepared.eventLine.length;
      if (prepared.identityLine !== undefined) identityLines.push([i, prepared.identityLine]);
      if (withSubjects && prepared.subject !== undefined) {
        const { projectId, anonymousId, userId, previousId } = prepared.subject;
        subjects.push([i, projectId, anonymousId, userId, previousId]);
      }
    } else {
      dead.push([i, prepared.stage, prepared.reason]);
    }
    eventEnds[i] = length;
  }
  return { id, eventLines: lines.join(''), eventEnds, identityLines, dead, subjects };
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
  const prepared: Prepared[] = [];
  let start = 0;
  for (let i = 0; i < response.eventEnds.length; i++) {
    const end = response.eventEnds[i] ?? start;
    const refused = dead.get(i);
    prepared.push(
      refused
        ? { ok: false, ...refused }
        : {
            ok: true,
            // A slice of a long string is a view in V8: no copy until the insert joins them.
            eventLine: response.eventLines.slice(start, end),
            identityLine: identities.get(i),
            subject: subjects.get(i),
          },
    );
    start = end;
  }
  return prepared;
}
