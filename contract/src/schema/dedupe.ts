/**
 * How to read the tables without double counting — the one place the query layer takes it from.
 *
 * The events table can hold more than one row per message until (and, for client retries,
 * even after) background merges; see the comment on migration 1. Exact reads therefore
 * deduplicate at query time, by (project_id, message_id):
 *
 * - counting events: `uniqExact(message_id)` within a project (EXACT_EVENT_COUNT);
 * - anything else (sums, funnels, sequences): read from `dedupedEventsQuery(...)` as a subquery,
 *   which keeps one row per message with `LIMIT 1 BY project_id, message_id`.
 *
 * Not FINAL: it only collapses rows with equal sorting keys in one partition, and a retried
 * message may differ in timestamp. Copies of one message differ only in when they arrived
 * (received_at, sent_at, and timestamp by at most the retry's clock-skew jitter), so whichever
 * copy LIMIT 1 BY keeps is the event. (A migration's copy-and-swap may also store a row twice
 * for a while; the same reads make that harmless.)
 */
import { EVENT_COLUMNS, type EventRow, TABLES } from './columns.js';
import { assertIdentifier } from './render.js';

export type EventColumn = keyof EventRow;

/** Counts distinct events of one project exactly, duplicates or not. */
export const EXACT_EVENT_COUNT = 'uniqExact(message_id)';

/** The columns that identify one event; every deduplicated read keeps one row per value. */
export const EVENT_IDENTITY = [
  'project_id',
  'message_id',
] as const satisfies readonly EventColumn[];

export interface DedupedEventsOptions {
  database: string;
  /** Columns to read (project_id and message_id are always included). */
  columns: readonly EventColumn[];
  /**
   * A WHERE condition in SQL, already escaped by the caller (the query layer's escaping
   * helper); filter by project and time here so the dedupe works on the fewest rows.
   */
  where?: string;
}

/**
 * `SELECT … FROM db.events WHERE … LIMIT 1 BY project_id, message_id`: every event once. Use
 * it as a subquery: `SELECT count() FROM (${dedupedEventsQuery(…)})`.
 */
export function dedupedEventsQuery({ database, columns, where }: DedupedEventsOptions): string {
  assertIdentifier(database, 'database');
  const known = new Set<string>(EVENT_COLUMNS);
  for (const column of columns) {
    if (!known.has(column)) throw new Error(`unknown events column "${column}"`);
  }
  const selected = [...new Set<EventColumn>([...EVENT_IDENTITY, ...columns])];
  const filter = where ? ` WHERE ${where}` : '';
  return `SELECT ${selected.join(', ')} FROM ${database}.${TABLES.events}${filter} LIMIT 1 BY ${EVENT_IDENTITY.join(', ')}`;
}

export interface IdentityMapOptions {
  database: string;
  /** A WHERE condition in SQL, already escaped by the caller (e.g. the project). */
  where?: string;
}

/**
 * One row per (project_id, anonymous_id) with the user id it was last linked to (identify or
 * alias): `project_id, anonymous_id, user_id`. Exact before merges (argMax, not FINAL). Join it
 * to events on (project_id, anonymous_id) to count people rather than browsers.
 */
export function identityMapQuery({ database, where }: IdentityMapOptions): string {
  assertIdentifier(database, 'database');
  const filter = where ? ` WHERE ${where}` : '';
  return `SELECT project_id, anonymous_id, argMax(user_id, timestamp) AS user_id FROM ${database}.${TABLES.identities}${filter} GROUP BY project_id, anonymous_id`;
}
