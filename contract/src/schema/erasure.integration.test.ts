import type { ClickHouseClient } from '@clickhouse/client';
import { testClickHouse, uniqueDatabase } from '@waymark/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from './columns.js';
import { erasePerson, idHash, isSuppressed, loadSuppressions } from './erasure.js';
import { migrate } from './migrations.js';

let client: ClickHouseClient;
const database = uniqueDatabase('erasure');

const event = (message: string, anonymous: string, user: string, project = 'p1') => ({
  project_id: project,
  message_id: message,
  type: 'track',
  event: 'Order Completed',
  anonymous_id: anonymous,
  user_id: user,
  timestamp: '2026-11-10 10:00:00.000',
  sent_at: '2026-11-10 10:00:00.000',
  received_at: '2026-11-10 10:00:00.000',
});
const link = (anonymous: string, user: string, project = 'p1') => ({
  project_id: project,
  anonymous_id: anonymous,
  user_id: user,
  timestamp: '2026-11-10 10:00:00.000',
  message_id: `l-${anonymous}`,
});

async function count(table: string, where: string): Promise<number> {
  const result = await client.query({
    query: `SELECT count() AS n FROM ${database}.${table} WHERE ${where}`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ n: string }>();
  return Number(row?.n);
}

beforeAll(async () => {
  client = testClickHouse();
  await migrate(client, database);
  await client.insert({
    table: `${database}.${TABLES.events}`,
    format: 'JSONEachRow',
    values: [
      // Ada: a browser before sign-in, a phone that identified later, her server-side order.
      event('m1', 'ada-laptop', ''),
      event('m2', 'ada-laptop', 'ada'),
      event('m3', 'ada-phone', 'ada'),
      event('m4', '', 'ada'),
      // Bob, and an "ada" of another project: neither is touched.
      event('m5', 'bob-laptop', 'bob'),
      event('m6', 'ada-laptop', 'ada', 'p2'),
    ],
  });
  await client.insert({
    table: `${database}.${TABLES.identities}`,
    format: 'JSONEachRow',
    values: [
      link('ada-laptop', 'ada'),
      link('ada-phone', 'ada'),
      link('bob-laptop', 'bob'),
      link('ada-laptop', 'ada', 'p2'),
    ],
  });
});

afterAll(async () => {
  await client?.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await client?.close();
});

describe('erasing a person', () => {
  it('deletes every row of every id the identity map joins, suppresses the ids, and audits it', async () => {
    const report = await erasePerson(client, database, {
      projectId: 'p1',
      anonymousId: 'ada-phone',
      requestedBy: 'test',
      settleMs: 10,
    });
    expect(report).toMatchObject({
      projectId: 'p1',
      anonymousIds: 2,
      userIds: 1,
      eventRows: 4,
      identityRows: 2,
    });
    expect(await count(TABLES.events, "project_id = 'p1'")).toBe(1);
    expect(await count(TABLES.events, "project_id = 'p2'")).toBe(1);
    expect(await count(TABLES.identities, "project_id = 'p1' AND user_id = 'ada'")).toBe(0);
    expect(await count(TABLES.identities, "user_id = 'bob'")).toBe(1);

    const suppressions = await loadSuppressions(client, database);
    expect(suppressions.get('p1')).toEqual(
      new Set([
        idHash('p1', 'anonymous', 'ada-laptop'),
        idHash('p1', 'anonymous', 'ada-phone'),
        idHash('p1', 'user', 'ada'),
      ]),
    );
    const subject = { projectId: 'p1', anonymousId: '', userId: '', previousId: '' };
    expect(isSuppressed(suppressions, { ...subject, userId: 'ada' })).toBe(true);
    expect(isSuppressed(suppressions, { ...subject, anonymousId: 'ada-laptop' })).toBe(true);
    expect(isSuppressed(suppressions, { ...subject, previousId: 'ada-phone', userId: 'new' })).toBe(
      true,
    );
    expect(
      isSuppressed(suppressions, { ...subject, anonymousId: 'bob-laptop', userId: 'bob' }),
    ).toBe(false);
    expect(isSuppressed(suppressions, { ...subject, projectId: 'p2', userId: 'ada' })).toBe(false);

    // The audit trail: who and how much, ids only as hashes.
    const audit = await client.query({
      query: `SELECT * FROM ${database}.${TABLES.erasures}`,
      format: 'JSONEachRow',
    });
    const [entry] = await audit.json<Record<string, unknown>>();
    expect(entry).toMatchObject({
      project_id: 'p1',
      requested_by: 'test',
      erasure_id: report.erasureId,
    });
    expect(Number(entry?.event_rows)).toBe(4);
    expect(JSON.stringify(entry)).not.toMatch(/ada/);
  });

  it('refuses a request naming neither or both ids', async () => {
    await expect(
      erasePerson(client, database, { projectId: 'p1', requestedBy: 't' }),
    ).rejects.toThrow(/exactly one/);
  });
});
