import { testClickHouse, uniqueDatabase } from '@waymark/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Columns,
  CURRENT_COLUMNS,
  ENTRY_TOUCHES_V3,
  EVENT_COLUMNS,
  EVENTS_V1,
  EVENTS_V4,
  IDENTITIES_V2,
  IDENTITIES_V4,
  JOURNEY_DAYS_V3,
  JOURNEY_DAYS_V4,
  TABLES,
} from './columns.js';
import { dedupedEventsQuery, EXACT_EVENT_COUNT, identityMapQuery } from './dedupe.js';
import { appliedVersions, MIGRATIONS, migrate } from './migrations.js';

const clickhouse = testClickHouse();
const database = uniqueDatabase('schema');

beforeAll(async () => {
  // Two processors starting at once.
  await Promise.all([migrate(clickhouse, database), migrate(clickhouse, database)]);
});
afterAll(() => clickhouse.close());

async function rows<T>(query: string): Promise<T[]> {
  return (await clickhouse.query({ query, format: 'JSONEachRow' })).json<T>();
}

/** Every table's columns as ClickHouse reports them: table → [name, type] in table order. */
async function columnsOf(db: string): Promise<Record<string, [string, string][]>> {
  const found = await rows<{ table: string; name: string; type: string }>(
    `SELECT table, name, type FROM system.columns
     WHERE database = '${db}' AND table != '${TABLES.migrations}' AND NOT endsWith(table, '_mv')
     ORDER BY table, position`,
  );
  const tables: Record<string, [string, string][]> = {};
  for (const { table, name, type } of found) {
    tables[table] = [...(tables[table] ?? []), [name, type]];
  }
  return tables;
}

const asReported = (tables: Record<string, Columns>) =>
  Object.fromEntries(Object.entries(tables).map(([table, c]) => [table, Object.entries(c)]));

describe('migrations', () => {
  it('are recorded once applied, and a restart applies nothing', async () => {
    expect(await appliedVersions(clickhouse, database)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(clickhouse, database)).toEqual([]);
  });

  it('refuse a cluster the server does not know, before any statement', async () => {
    const db = uniqueDatabase('schema_cluster');
    await expect(migrate(clickhouse, db, { cluster: 'no_such_cluster' })).rejects.toThrow(
      /knows no cluster "no_such_cluster"/,
    );
    const [found] = await rows<{ n: string }>(
      `SELECT count() AS n FROM system.databases WHERE name = '${db}'`,
    );
    expect(Number(found?.n)).toBe(0);
  });

  it('create exactly the columns of the contract, with the chosen engine and keys', async () => {
    expect(await columnsOf(database)).toEqual(asReported(CURRENT_COLUMNS));
    expect(EVENT_COLUMNS).toEqual(Object.keys(CURRENT_COLUMNS[TABLES.events]));
    const [create] = await rows<{ statement: string }>(
      `SHOW CREATE TABLE ${database}.${TABLES.events}`,
    );
    expect(create?.statement).toContain('ENGINE = ReplacingMergeTree');
    expect(create?.statement).toContain('PARTITION BY toYYYYMM(timestamp)');
    expect(create?.statement).toContain(
      'ORDER BY (project_id, anonymous_id, timestamp, message_id)',
    );
  });

  // Each shipped version's frozen column lists are what its DDL made: the lists, the DDL and
  // the row types are one definition at every version, not only the latest.
  it.each([
    [1, { [TABLES.events]: EVENTS_V1 }],
    [2, { [TABLES.events]: EVENTS_V1, [TABLES.identities]: IDENTITIES_V2 }],
    [
      3,
      {
        [TABLES.events]: EVENTS_V1,
        [TABLES.identities]: IDENTITIES_V2,
        [TABLES.journeyDays]: JOURNEY_DAYS_V3,
        [TABLES.entryTouches]: ENTRY_TOUCHES_V3,
      },
    ],
    [
      4,
      {
        [TABLES.events]: EVENTS_V4,
        [TABLES.identities]: IDENTITIES_V4,
        [TABLES.journeyDays]: JOURNEY_DAYS_V4,
        [TABLES.entryTouches]: ENTRY_TOUCHES_V3,
      },
    ],
  ] as const)('after migration %i, have the columns of that version', async (version, tables) => {
    const db = uniqueDatabase(`schema_v${version}`);
    try {
      await migrate(clickhouse, db, { until: version });
      expect(await columnsOf(db)).toEqual(asReported(tables));
    } finally {
      await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    }
  });
});

describe('the journey rollup (migrations 3 and 4)', () => {
  const older = uniqueDatabase('schema_rollup');
  const page = (messageId: string, timestamp: string) => ({
    project_id: 'p',
    message_id: messageId,
    type: 'page',
    anonymous_id: 'a',
    session_id: 's',
    timestamp,
  });

  beforeAll(async () => {
    // A database from before the rollup: migrations 1 and 2 only, with events already stored.
    expect(await migrate(clickhouse, older, { until: 2 })).toEqual([1, 2]);
    await clickhouse.insert({
      table: `${older}.${TABLES.events}`,
      values: [page('p1', '2026-11-02 10:00:00'), page('p2', '2026-11-02 10:01:00')],
      format: 'JSONEachRow',
    });
    await migrate(clickhouse, older, { until: 4 });
    // After the migrations, the view: a retry of p2 a second later and a track event, with
    // milliseconds (migration 4).
    await clickhouse.insert({
      table: `${older}.${TABLES.events}`,
      values: [
        page('p2', '2026-11-02 10:01:01.250'),
        { ...page('t1', '2026-11-02 10:02:00.125'), type: 'track', event: 'signed_up' },
      ],
      format: 'JSONEachRow',
    });
  });
  afterAll(() => clickhouse.command({ query: `DROP DATABASE IF EXISTS ${older}` }));

  it('backfills stored events and follows new ones, one row per day and kind', async () => {
    const kinds = await rows<Record<string, string | number>>(
      `SELECT type, track_event, toString(minMerge(first_at)) AS first_at,
         toString(groupArrayMerge(page_messages)) AS pages
       FROM ${older}.${TABLES.journeyDays}
       GROUP BY type, track_event ORDER BY type`,
    );
    const p1 = "toString(cityHash64('p1'))";
    const p2 = "toString(cityHash64('p2'))";
    const [hashes] = await rows<Record<string, string>>(`SELECT ${p1} AS p1, ${p2} AS p2`);
    expect(kinds).toEqual([
      {
        type: 'page',
        track_event: '',
        first_at: '2026-11-02 10:00:00.000',
        // Each copy is kept with its message hash; readers keep the earliest copy per message.
        pages: expect.stringMatching(/^\[\d+,\d+,\d+\]$/),
      },
      {
        type: 'track',
        track_event: 'signed_up',
        first_at: '2026-11-02 10:02:00.125',
        pages: '[]',
      },
    ]);
    const pages = String(kinds[0]?.pages).slice(1, -1).split(',').sort();
    expect(pages).toEqual([hashes?.p1, hashes?.p2, hashes?.p2].sort());
  });
});

describe('deduplicated reads on this ClickHouse', () => {
  const row = (messageId: string, timestamp: string, revenue: number) => ({
    project_id: 'p',
    message_id: messageId,
    anonymous_id: 'a',
    timestamp,
    revenue,
  });

  beforeAll(async () => {
    const table = `${database}.${TABLES.events}`;
    // m1 replayed byte for byte; m2 retried with a timestamp a second later, across a month
    // boundary (another partition); m3 once. Separate inserts, so separate parts, unmerged.
    const batches = [
      [row('m1', '2026-10-31 23:59:59', 10), row('m2', '2026-10-31 23:59:59', 5)],
      [row('m1', '2026-10-31 23:59:59', 10), row('m2', '2026-11-01 00:00:00', 5)],
      [row('m3', '2026-11-02 08:00:00', 1)],
    ];
    for (const values of batches) await clickhouse.insert({ table, values, format: 'JSONEachRow' });
    await clickhouse.insert({
      table: `${database}.${TABLES.identities}`,
      values: [
        {
          project_id: 'p',
          anonymous_id: 'a',
          user_id: 'u-old',
          timestamp: '2026-11-01 00:00:00',
          message_id: 'i1',
        },
        {
          project_id: 'p',
          anonymous_id: 'a',
          user_id: 'u-new',
          timestamp: '2026-11-02 00:00:00',
          message_id: 'i2',
        },
        {
          project_id: 'p',
          anonymous_id: 'a',
          user_id: 'u-new',
          timestamp: '2026-11-02 00:00:00',
          message_id: 'i2',
        },
      ],
      format: 'JSONEachRow',
    });
  });

  it('count and sum every message once, before any merge', async () => {
    const deduped = dedupedEventsQuery({
      database,
      columns: ['revenue'],
      where: "project_id = 'p'",
    });
    const [result] = await rows<Record<string, number | string>>(
      `SELECT (SELECT count() FROM ${database}.events) AS stored,
              (SELECT ${EXACT_EVENT_COUNT} FROM ${database}.events) AS exact,
              (SELECT count() FROM (${deduped})) AS deduped,
              (SELECT sum(revenue) FROM (${deduped})) AS revenue`,
    );
    expect(Number(result?.stored)).toBe(5);
    expect(Number(result?.exact)).toBe(3);
    expect(Number(result?.deduped)).toBe(3);
    expect(Number(result?.revenue)).toBe(16);
  });

  it('stay exact after merges, where FINAL would not be', async () => {
    await clickhouse.command({ query: `OPTIMIZE TABLE ${database}.events FINAL` });
    const [after] = await rows<Record<string, number | string>>(
      `SELECT count() AS stored, ${EXACT_EVENT_COUNT} AS exact FROM ${database}.events`,
    );
    // The replay collapsed; the retry with another timestamp (and month) did not.
    expect(Number(after?.stored)).toBe(4);
    expect(Number(after?.exact)).toBe(3);
  });

  it('map an anonymous id to its latest user id', async () => {
    expect(await rows(identityMapQuery({ database, where: "project_id = 'p'" }))).toEqual([
      { project_id: 'p', anonymous_id: 'a', user_id: 'u-new' },
    ]);
  });
});
