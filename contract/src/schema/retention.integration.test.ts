import type { ClickHouseClient } from '@clickhouse/client';
import { testClickHouse, uniqueDatabase } from '@waymark/test-harness';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TABLES } from './columns.js';
import { migrate } from './migrations.js';
import { applyRetention, retentionTtl } from './retention.js';

let client: ClickHouseClient;
const database = uniqueDatabase('retention');
const daysAgo = (days: number) =>
  new Date(Date.now() - days * 86_400_000).toISOString().replace('T', ' ').slice(0, 23);

beforeAll(async () => {
  client = testClickHouse();
  await migrate(client, database);
});
afterAll(async () => {
  await client?.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await client?.close();
});

it('writes one rule per period, each project under exactly one', () => {
  expect(retentionTtl({ defaultDays: 730, projects: {} }, 'timestamp')).toBe(
    'timestamp + toIntervalDay(730) DELETE',
  );
  expect(retentionTtl({ defaultDays: 730, projects: { b: 30, a: 30, c: 730, d: 90 } }, 'ts')).toBe(
    [
      "ts + toIntervalDay(30) DELETE WHERE project_id IN ('a', 'b')",
      "ts + toIntervalDay(90) DELETE WHERE project_id IN ('d')",
      "ts + toIntervalDay(730) DELETE WHERE project_id NOT IN ('a', 'b', 'd')",
    ].join(',\n    '),
  );
  expect(() => retentionTtl({ defaultDays: 1, projects: { "x') OR 1": 2 } }, 'ts')).toThrow();
});

it('applies per-project periods as TTL, once, and ClickHouse deletes what expired', async () => {
  const spec = { defaultDays: 730, projects: { short: 30, century: 36_500 } };
  expect(await applyRetention(client, database, spec)).toEqual([TABLES.events, TABLES.identities]);
  // Unchanged: nothing to do.
  expect(await applyRetention(client, database, spec)).toEqual([]);

  const row = (project: string, id: string, at: string) => ({
    project_id: project,
    message_id: id,
    anonymous_id: id,
    timestamp: at,
    sent_at: at,
    received_at: at,
  });
  await client.insert({
    table: `${database}.${TABLES.events}`,
    format: 'JSONEachRow',
    values: [
      row('long', 'kept', daysAgo(400)),
      row('long', 'expired', daysAgo(800)),
      row('short', 'short-kept', daysAgo(10)),
      row('short', 'short-expired', daysAgo(40)),
      // A century from now is past 2106, where a DateTime would wrap around.
      row('century', 'century-kept', daysAgo(0)),
    ],
  });
  await client.command({ query: `OPTIMIZE TABLE ${database}.${TABLES.events} FINAL` });
  const result = await client.query({
    query: `SELECT message_id FROM ${database}.${TABLES.events} ORDER BY message_id`,
    format: 'JSONEachRow',
  });
  expect((await result.json<{ message_id: string }>()).map((r) => r.message_id)).toEqual([
    'century-kept',
    'kept',
    'short-kept',
  ]);

  // A changed period is applied again.
  expect(await applyRetention(client, database, { ...spec, projects: { short: 60 } })).toHaveLength(
    2,
  );
});
