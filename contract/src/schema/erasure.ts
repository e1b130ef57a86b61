/**
 * Erasure of a person (GDPR art. 17 / CCPA deletion requests): one implementation, run by the
 * CLI (`waymark erase`) and the dashboards' admin API alike.
 *
 * 1. The person is resolved through the identity map: the user id given or linked to the
 *    anonymous id given, and every anonymous id ever linked to those users.
 * 2. Every id is suppressed first (`suppressions`, as a hash with its project and kind): the
 *    processor drops any event carrying one from then on, so a replay of Kafka records — which
 *    keep copies for the topic's retention — cannot bring the person back.
 * 3. Their rows are deleted from `events` and `identities` with lightweight `DELETE` (rows
 *    vanish from every query at once; the parts are rewritten by later merges), and so are their
 *    device summaries and change marks (summaries.ts).
 * 4. After `settleMs` — long enough for every processor to have refreshed its suppression list —
 *    the delete runs again, for rows a processor inserted from a stale list in between.
 * 5. An audit row records who asked, when, how many rows went, and the ids as hashes only.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { clickHouseDateTime64 } from '@waymark/kit/clickhouse-time';
import { type ErasureRow, type SuppressionRow, TABLES } from './columns.js';
import { assertIdentifier } from './render.js';

export type IdKind = 'anonymous' | 'user';

/** The stored form of an id: sha256 of project, kind and id, hex. Never the id itself. */
export function idHash(projectId: string, kind: IdKind, id: string): string {
  return createHash('sha256').update(`${projectId}\u0000${kind}\u0000${id}`).digest('hex');
}

export interface ErasureRequest {
  projectId: string;
  /** One of the two: the person's user id, or one of their anonymous ids. */
  userId?: string;
  anonymousId?: string;
  /** Who asked (an operator's name, the admin key's label): for the audit trail. */
  requestedBy: string;
  /** Wait before the second delete; at least the processors' suppression refresh (2 s). */
  settleMs?: number;
}

export interface ErasureReport {
  erasureId: string;
  projectId: string;
  anonymousIds: number;
  userIds: number;
  eventRows: number;
  identityRows: number;
}

/** How long processors may load from a suppression list before they refresh it. */
export const SUPPRESSION_REFRESH_MS = 2000;

export async function erasePerson(
  client: ClickHouseClient,
  database: string,
  request: ErasureRequest,
): Promise<ErasureReport> {
  assertIdentifier(database, 'database');
  if ((request.userId === undefined) === (request.anonymousId === undefined)) {
    throw new Error('erase needs exactly one of a user id or an anonymous id');
  }
  const requestedAt = Date.now();
  const erasureId = randomUUID();
  const { projectId } = request;
  const rows = async <T>(query: string, params: Record<string, unknown>) =>
    (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();

  // 1. The person: users given or linked, then every anonymous id linked to them.
  const users = new Set<string>(request.userId === undefined ? [] : [request.userId]);
  const anonymous = new Set<string>(request.anonymousId === undefined ? [] : [request.anonymousId]);
  for (const row of await rows<{ user_id: string }>(
    `SELECT DISTINCT user_id FROM ${database}.${TABLES.identities}
     WHERE project_id = {project:String} AND anonymous_id IN {anonymous:Array(String)}`,
    { project: projectId, anonymous: [...anonymous] },
  )) {
    if (row.user_id !== '') users.add(row.user_id);
  }
  for (const row of await rows<{ anonymous_id: string }>(
    `SELECT DISTINCT anonymous_id FROM ${database}.${TABLES.identities}
     WHERE project_id = {project:String} AND user_id IN {users:Array(String)}`,
    { project: projectId, users: [...users] },
  )) {
    anonymous.add(row.anonymous_id);
  }
  const hashes = [
    ...[...anonymous].map((id) => ({
      kind: 'anonymous' as const,
      hash: idHash(projectId, 'anonymous', id),
    })),
    ...[...users].map((id) => ({ kind: 'user' as const, hash: idHash(projectId, 'user', id) })),
  ];

  // 2. Suppressed before anything is deleted.
  const suppressions: SuppressionRow[] = hashes.map(({ kind, hash }) => ({
    project_id: projectId,
    id_kind: kind,
    id_hash: hash,
    suppressed_at: clickHouseDateTime64(requestedAt),
    erasure_id: erasureId,
  }));
  await client.insert({
    table: `${database}.${TABLES.suppressions}`,
    values: suppressions,
    format: 'JSONEachRow',
    clickhouse_settings: { async_insert: 0 },
  });

  // 3 and 4. Delete, wait for the processors' lists to catch up, delete what slipped in.
  const params = { project: projectId, anonymous: [...anonymous], users: [...users] };
  const deleteAll = async () => {
    const counts: Record<'events' | 'identities', number> = { events: 0, identities: 0 };
    for (const table of ['events', 'identities'] as const) {
      const where = `project_id = {project:String}
        AND (anonymous_id IN {anonymous:Array(String)} OR user_id IN {users:Array(String)})`;
      const [found] = await rows<{ n: string | number }>(
        `SELECT count() AS n FROM ${database}.${TABLES[table]} WHERE ${where}`,
        params,
      );
      counts[table] = Number(found?.n ?? 0);
      if (counts[table] > 0) {
        await client.command({
          query: `DELETE FROM ${database}.${TABLES[table]} WHERE ${where}`,
          query_params: params,
          // Return once the rows are gone from every replica's reads.
          clickhouse_settings: { lightweight_deletes_sync: '2' },
        });
      }
    }
    // Their device summaries (summaries.ts) go too: keyed by the anonymous id, or by the user
    // id for userId-only devices. A summarizer pass that read the events before the delete may
    // write a summary after it: the second round removes that one.
    for (const table of [TABLES.deviceSummaries, TABLES.deviceChanges]) {
      await client.command({
        query: `DELETE FROM ${database}.${table} WHERE project_id = {project:String}
          AND device_id IN {ids:Array(String)}`,
        query_params: { project: projectId, ids: [...anonymous, ...users] },
        clickhouse_settings: { lightweight_deletes_sync: '2' },
      });
    }
    return counts;
  };
  const first = await deleteAll();
  await new Promise((resolve) =>
    setTimeout(resolve, request.settleMs ?? 2 * SUPPRESSION_REFRESH_MS),
  );
  const second = await deleteAll();

  // 5. The audit trail.
  const report: ErasureReport = {
    erasureId,
    projectId,
    anonymousIds: anonymous.size,
    userIds: users.size,
    eventRows: first.events + second.events,
    identityRows: first.identities + second.identities,
  };
  const audit: ErasureRow = {
    erasure_id: erasureId,
    project_id: projectId,
    requested_by: request.requestedBy,
    requested_at: clickHouseDateTime64(requestedAt),
    finished_at: clickHouseDateTime64(Date.now()),
    id_hashes: hashes.map((h) => h.hash),
    event_rows: report.eventRows,
    identity_rows: report.identityRows,
  };
  await client.insert({
    table: `${database}.${TABLES.erasures}`,
    values: [audit],
    format: 'JSONEachRow',
    clickhouse_settings: { async_insert: 0 },
  });
  return report;
}

/**
 * The suppressed id hashes of every project, by project: what the processor checks each event
 * against (`isSuppressed`).
 */
export async function loadSuppressions(
  client: ClickHouseClient,
  database: string,
): Promise<Map<string, Set<string>>> {
  assertIdentifier(database, 'database');
  const result = await client.query({
    query: `SELECT DISTINCT project_id, id_hash FROM ${database}.${TABLES.suppressions}`,
    format: 'JSONEachRow',
  });
  const byProject = new Map<string, Set<string>>();
  for (const row of await result.json<{ project_id: string; id_hash: string }>()) {
    let set = byProject.get(row.project_id);
    if (!set) {
      set = new Set();
      byProject.set(row.project_id, set);
    }
    set.add(row.id_hash);
  }
  return byProject;
}

/** The ids an event is stored under. */
export interface EventSubject {
  projectId: string;
  anonymousId: string;
  userId: string;
  /** An alias's previous id (an anonymous id of the same person). */
  previousId: string;
}

/** True when any id of the event belongs to an erased person of its project. */
export function isSuppressed(
  suppressions: ReadonlyMap<string, ReadonlySet<string>>,
  subject: EventSubject,
): boolean {
  const set = suppressions.get(subject.projectId);
  if (set === undefined || set.size === 0) return false;
  const { projectId } = subject;
  return (
    (subject.anonymousId !== '' && set.has(idHash(projectId, 'anonymous', subject.anonymousId))) ||
    (subject.previousId !== '' && set.has(idHash(projectId, 'anonymous', subject.previousId))) ||
    (subject.userId !== '' && set.has(idHash(projectId, 'user', subject.userId)))
  );
}
