import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadDashboardsConfig } from '../config.js';
import { createQueries } from '../queries/index.js';
import { freshDatabase, insertRows } from '../test/database.js';
import { journeyEvents, journeyIdentities } from '../test/journeys.js';
import { runEraseCommand } from './erase.js';
import { runQueryCommand, UsageError } from './run.js';

let client: ClickHouseClient;
let database: string;
const projects = JSON.stringify([
  { id: 'p1', writeKey: 'wk_p1_writer', readKeys: ['rk_p1_reader_0123456789abcdefghij'] },
]);

beforeAll(async () => {
  ({ client, database } = await freshDatabase('dash_cli_erase'));
  await insertRows(client, database, journeyEvents(), journeyIdentities());
});
afterAll(async () => {
  await client?.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await client?.close();
});

it('erases a person: the answers lose them, the report says how much went', async () => {
  const config = loadDashboardsConfig({
    WAYMARK_PROJECTS: projects,
    CLICKHOUSE_DATABASE: database,
  });
  const queries = createQueries(client, database);
  const funnel = () =>
    runQueryCommand('funnel', ['--from', '2026-11-01', '--to', '2026-11-30', '--json'], {
      config,
      queries,
    }).then((out) => JSON.parse(out).total.steps.map((s: { people: number }) => s.people));
  const before = await funnel();
  await expect(runEraseCommand([], { config, client })).rejects.toThrow(UsageError);
  await expect(
    runEraseCommand(['--user-id', 'u1', '--anonymous-id', 'a1'], { config, client }),
  ).rejects.toThrow(/exactly one/);
  // Alice (user "alice", anonymous ids a1 and a1b): the journeys' paid, two-device buyer.
  const out = await runEraseCommand(['--anonymous-id', 'a1', '--by', 'dpo', '--json'], {
    config,
    client,
  });
  const report = JSON.parse(out);
  expect(report).toMatchObject({ projectId: 'p1', userIds: 1 });
  expect(report.anonymousIds).toBeGreaterThanOrEqual(2);
  expect(report.eventRows).toBeGreaterThan(0);
  const after = await funnel();
  expect(after[0]).toBe(before[0] - 1);
});
