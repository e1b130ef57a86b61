/**
 * Migration 4 (millisecond timestamps) on a database built by migrations 1–3 and holding rows:
 * every table keeps its contents, the schema ends identical to a fresh database's, and it
 * survives a crash after any statement, several processors migrating at once, and inserts
 * arriving while it copies.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { testClickHouse, uniqueDatabase } from '@waymark/test-harness';
import { afterAll, describe, expect, it } from 'vitest';
import { EVENT_COLUMNS, TABLES } from './columns.js';
import { migrate } from './migrations.js';

/** Migration 4 is what these tests upgrade with (5 then drops the rollups they inspect). */
const UNTIL_4 = { until: 4 };

const clickhouse = testClickHouse();
const databases: string[] = [];
afterAll(async () => {
  for (const db of databases) await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  await clickhouse.close();
});

function database(label: string): string {
  const db = uniqueDatabase(label);
  databases.push(db);
  return db;
}

async function rows<T = Record<string, unknown>>(query: string): Promise<T[]> {
  return (await clickhouse.query({ query, format: 'JSONEachRow' })).json<T>();
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Rows as the 18.16-era processor wrote them (whole seconds): 40 people over three months, page
 * views and track events with revenue, a Kafka replay of every 9th event, a client retry of
 * every 13th a second later, identify links. Each device's events have distinct seconds, so
 * no rollup state depends on how a tie is broken.
 */
function oldRows() {
  const events: Record<string, unknown>[] = [];
  const identities: Record<string, unknown>[] = [];
  const channels = ['paid', 'organic', 'email', 'direct', 'social'];
  for (let i = 0; i < 600; i++) {
    const person = i % 40;
    const month = 10 + (i % 3);
    const day = 1 + (i % 27);
    const at = `2026-${pad(month)}-${pad(day)} ${pad(8 + (i % 12))}:${pad(i % 60)}:${pad(person)}`;
    const type = i % 4 === 0 ? 'track' : 'page';
    const row = {
      project_id: i % 10 === 0 ? 'p2' : 'p1',
      message_id: `m${i}`,
      type,
      event: type === 'track' ? (i % 8 === 0 ? 'order_completed' : 'signed_up') : '',
      anonymous_id: `a${person}`,
      user_id: '',
      session_id: `s${person}-${month}-${day}`,
      timestamp: at,
      sent_at: at,
      received_at: at,
      session_channel: channels[i % 5],
      first_channel: channels[person % 5],
      first_campaign: person % 3 === 0 ? 'spring' : '',
      session_campaign: i % 7 === 0 ? 'spring' : '',
      page_path: type === 'page' ? `/p${i % 9}` : '',
      revenue: i % 8 === 0 ? 10 + (i % 50) : 0,
      device_type: person % 4 === 0 ? 'mobile' : 'desktop',
      is_bot: person === 39 ? 1 : 0,
      properties: '{}',
      traits: '{}',
    };
    events.push(row);
    if (i % 9 === 0) events.push(row);
    if (i % 13 === 0) {
      const later = at.replace(/:(\d\d)$/, (_m, s: string) => `:${pad((Number(s) + 1) % 60)}`);
      events.push({ ...row, timestamp: later, received_at: later });
    }
  }
  for (let person = 0; person < 40; person += 3) {
    const at = `2026-11-${pad(1 + (person % 28))} 12:00:00`;
    identities.push({
      project_id: 'p1',
      anonymous_id: `a${person}`,
      user_id: `u${person % 7}`,
      timestamp: at,
      message_id: `i${person}`,
    });
  }
  return { events, identities };
}

/** A database as migrations 1–3 left it, with the rows loaded in several inserts (parts). */
async function oldDatabase(label: string): Promise<string> {
  const db = database(label);
  expect(await migrate(clickhouse, db, { until: 3 })).toEqual([1, 2, 3]);
  const { events, identities } = oldRows();
  for (let start = 0; start < events.length; start += 200) {
    await clickhouse.insert({
      table: `${db}.${TABLES.events}`,
      values: events.slice(start, start + 200),
      format: 'JSONEachRow',
    });
  }
  await clickhouse.insert({
    table: `${db}.${TABLES.identities}`,
    values: identities,
    format: 'JSONEachRow',
  });
  return db;
}

const toSecond = (column: string) => `formatDateTime(${column}, '%F %T')`;

/**
 * Every table's contents, in a form both schemas give alike: timestamps to the second (the old
 * ones have no more), rows and rollup elements distinct (a copy may run twice, which queries
 * deduplicate), rollup states merged per key.
 */
async function contents(db: string) {
  const eventColumns = EVENT_COLUMNS.map((c) =>
    ['timestamp', 'sent_at', 'received_at'].includes(c) ? `${toSecond(c)} AS ${c}` : c,
  );
  return {
    events: await rows(
      `SELECT DISTINCT ${eventColumns.join(', ')} FROM ${db}.${TABLES.events} ORDER BY ALL`,
    ),
    messages: await rows(
      `SELECT project_id, uniqExact(message_id) AS n, sum(revenue) AS revenue FROM
         (SELECT * FROM ${db}.${TABLES.events} LIMIT 1 BY project_id, message_id)
       GROUP BY project_id ORDER BY project_id`,
    ),
    identities: await rows(
      `SELECT DISTINCT project_id, anonymous_id, user_id, ${toSecond('timestamp')} AS timestamp, message_id
       FROM ${db}.${TABLES.identities} ORDER BY ALL`,
    ),
    journeyDays: await rows(
      `SELECT project_id, day, device, is_bot, device_type, type, track_event,
         ${toSecond('minMerge(first_at)')} AS first_at,
         toString(argMinMerge(entry_touch)) AS entry_touch,
         toString(arraySort(arrayDistinct(arrayZip(groupArrayMerge(page_sessions),
           groupArrayMerge(page_times), groupArrayMerge(page_messages))))) AS pages
       FROM ${db}.${TABLES.journeyDays}
       GROUP BY project_id, day, device, is_bot, device_type, type, track_event ORDER BY ALL`,
    ),
    entryTouches: await rows(`SELECT DISTINCT * FROM ${db}.${TABLES.entryTouches} ORDER BY ALL`),
  };
}

/** `SHOW CREATE` of every table and view, the database name replaced by `{db}`. */
async function schemaOf(db: string): Promise<Record<string, string>> {
  const tables = await rows<{ name: string }>(
    `SELECT name FROM system.tables WHERE database = '${db}' ORDER BY name`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [create] = await rows<{ statement: string }>(`SHOW CREATE TABLE ${db}.${name}`);
    out[name] = String(create?.statement).replaceAll(db, '{db}');
  }
  return out;
}

let reference: { schema: Record<string, string>; contents: Awaited<ReturnType<typeof contents>> };

describe('migration 4 on a database from migrations 1–3', () => {
  it('keeps every row of every table and takes the schema a fresh database has', async () => {
    const db = await oldDatabase('upgrade');
    const before = await contents(db);
    expect(before.events.length).toBeGreaterThan(600);
    expect(before.journeyDays.length).toBeGreaterThan(100);

    expect(await migrate(clickhouse, db, UNTIL_4)).toEqual([4]);

    const after = await contents(db);
    expect(after).toEqual(before);
    // Copied whole seconds, now DateTime64(3).
    const [sample] = await rows<{ t: string; type: string }>(
      `SELECT toString(timestamp) AS t, toTypeName(timestamp) AS type FROM ${db}.${TABLES.events} LIMIT 1`,
    );
    expect(sample?.type).toBe("DateTime64(3, 'UTC')");
    expect(sample?.t).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.000$/);

    const fresh = database('fresh');
    expect(await migrate(clickhouse, fresh, UNTIL_4)).toEqual([1, 2, 3, 4]);
    const schema = await schemaOf(db);
    expect(Object.keys(schema)).toEqual([
      TABLES.entryTouches,
      `${TABLES.entryTouches}_mv`,
      TABLES.events,
      TABLES.identities,
      TABLES.journeyDays,
      `${TABLES.journeyDays}_mv`,
      TABLES.migrations,
    ]);
    expect(schema).toEqual(await schemaOf(fresh));
    expect(schema[TABLES.events]).toContain("`timestamp` DateTime64(3, 'UTC')");
    expect(schema[TABLES.events]).toContain('PARTITION BY toYYYYMM(timestamp)');
    expect(schema[TABLES.journeyDays]).toContain(
      "`first_at` AggregateFunction(min, DateTime64(3, 'UTC'))",
    );
    expect(schema[TABLES.identities]).toContain("`timestamp` DateTime64(3, 'UTC')");
    reference = { schema, contents: after };
  });

  it('keeps the views: new events reach the rollups, in millisecond order', async () => {
    const db = await oldDatabase('upgrade_views');
    await migrate(clickhouse, db, UNTIL_4);
    const base = {
      project_id: 'p9',
      type: 'page',
      anonymous_id: 'z',
      session_id: 'zs',
      device_type: 'desktop',
    };
    // Within one second, the later-written row is the earlier event: its touch is the entry.
    await clickhouse.insert({
      table: `${db}.${TABLES.events}`,
      values: [
        { ...base, message_id: 'z2', timestamp: '2026-12-01 10:00:00.900', first_channel: 'email' },
        { ...base, message_id: 'z1', timestamp: '2026-12-01 10:00:00.100', first_channel: 'paid' },
      ],
      format: 'JSONEachRow',
    });
    const [rollup] = await rows<{ first_at: string; channel: string }>(
      `SELECT toString(first) AS first_at,
         (SELECT any(first_channel) FROM ${db}.${TABLES.entryTouches}
          WHERE project_id = 'p9' AND touch = entry) AS channel
       FROM (SELECT minMerge(first_at) AS first, argMinMerge(entry_touch) AS entry
             FROM ${db}.${TABLES.journeyDays} WHERE project_id = 'p9')`,
    );
    expect(rollup).toEqual({ first_at: '2026-12-01 10:00:00.100', channel: 'paid' });
  });

  it('ends the same after a crash following any statement, and a restart', async () => {
    expect(reference).toBeDefined();
    let statements = 0;
    const counting = crashingClient(clickhouse, Number.POSITIVE_INFINITY, () => statements++);
    const probe = await oldDatabase('upgrade_count');
    await migrate(counting, probe, UNTIL_4);
    expect(statements).toBeGreaterThan(10);

    for (let crashAfter = 1; crashAfter <= statements; crashAfter++) {
      const db = await oldDatabase(`upgrade_crash${crashAfter}`);
      await expect(
        migrate(crashingClient(clickhouse, crashAfter), db, UNTIL_4),
        `crash after ${crashAfter}`,
      ).rejects.toThrow('simulated crash');
      const ran = await migrate(clickhouse, db, UNTIL_4);
      // The last write is the record of version 4: a crash after it leaves nothing to do.
      expect(ran, `crash after ${crashAfter}`).toEqual(crashAfter === statements ? [] : [4]);
      expect(await schemaOf(db), `crash after ${crashAfter}`).toEqual(reference.schema);
      expect(await contents(db), `crash after ${crashAfter}`).toEqual(reference.contents);
      await clickhouse.command({ query: `DROP DATABASE ${db}` });
    }
  }, 240_000);

  it('keeps every row when several processors upgrade at once', async () => {
    const db = await oldDatabase('upgrade_concurrent');
    const ran = await Promise.all([1, 2, 3].map(() => migrate(clickhouse, db, UNTIL_4)));
    expect(ran.flat()).toContain(4);
    expect(await schemaOf(db)).toEqual(reference.schema);
    expect(await contents(db)).toEqual(reference.contents);
  }, 60_000);

  it('keeps the rows inserted while events is being copied', async () => {
    const db = await oldDatabase('upgrade_live');
    let done = false;
    let sent = 0;
    const writer = (async () => {
      while (!done) {
        const batch = Array.from({ length: 20 }, (_, k) => ({
          project_id: 'live',
          message_id: `live-${sent + k}`,
          anonymous_id: `w${k}`,
          timestamp: '2026-11-15 12:00:00',
        }));
        // The old table takes whole seconds; inserts that fail while `events` is being swapped
        // (unknown table, for a moment) are retried as the processor's loader does.
        try {
          await clickhouse.insert({
            table: `${db}.${TABLES.events}`,
            values: batch,
            format: 'JSONEachRow',
          });
          sent += batch.length;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    })();
    await migrate(clickhouse, db, UNTIL_4);
    done = true;
    await writer;
    expect(sent).toBeGreaterThan(0);
    const [live] = await rows<{ n: string }>(
      `SELECT uniqExact(message_id) AS n FROM ${db}.${TABLES.events} WHERE project_id = 'live'`,
    );
    expect(Number(live?.n)).toBe(sent);
    const [rollup] = await rows<{ n: string }>(
      `SELECT count() AS n FROM (SELECT device FROM ${db}.${TABLES.journeyDays}
         WHERE project_id = 'live' GROUP BY device)`,
    );
    // Every writing device reached the rollup, through the view or the backfill.
    expect(Number(rollup?.n)).toBe(Math.min(20, sent));
  }, 60_000);
});

/**
 * The client, but every write (command, insert) counts and the `crashAfter`-th one, once done,
 * throws: the process dying right after that statement.
 */
function crashingClient(
  client: ClickHouseClient,
  crashAfter: number,
  onWrite: () => void = () => {},
): ClickHouseClient {
  let writes = 0;
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if ((property !== 'command' && property !== 'insert') || typeof value !== 'function') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return async (...args: unknown[]) => {
        const result = await value.apply(target, args);
        onWrite();
        if (++writes === crashAfter) throw new Error('simulated crash');
        return result;
      };
    },
  });
}
