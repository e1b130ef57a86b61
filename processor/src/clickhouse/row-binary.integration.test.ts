import { migrate } from '@waymark/contract/schema';
import { testClickHouse, uniqueDatabase } from '@waymark/test-harness';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decodeRecord } from '../decode.js';
import { EVENT_ROW_COLUMNS, toEventRow, writeEventRow } from '../rows.js';
import { bytes, CHROME_WINDOWS, collectedEvent, GOOGLEBOT, IPHONE } from '../test/records.js';
import { insertJsonLines, insertRowBinary, jsonEachRowLine } from './insert-lines.js';
import { RowWriter } from './row-binary.js';

const clickhouse = testClickHouse();
const database = uniqueDatabase('row_binary');

beforeAll(async () => {
  await migrate(clickhouse, database);
  // The events table's columns twice, one loaded from JSON text, one from RowBinary; in memory,
  // so that instants from 1970 to 2105 may share one insert (a MergeTree block allows 100
  // monthly partitions).
  for (const table of ['events_json', 'events_binary']) {
    await clickhouse.command({
      query: `CREATE TABLE ${database}.${table} AS ${database}.events ENGINE = Memory`,
    });
  }
});

afterAll(async () => {
  await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  await clickhouse.close();
});

// Any text a client may send, multi-byte characters, long values (multi-byte length prefixes)
// and empty strings included.
const text = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'grapheme', minLength: 40, maxLength: 400 }),
  fc.constant(''),
);
const instant = fc
  .date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('2105-12-31T23:59:59Z'),
    noInvalidDate: true,
  })
  .chain((d) =>
    fc
      .stringMatching(/^(\.\d{1,9})?$/)
      .map((fraction) => `${d.toISOString().slice(0, 19)}${fraction}Z`),
  );

const event = fc.record({
  messageId: fc.uuid(),
  type: fc.constantFrom('track', 'page', 'identify', 'screen', 'group'),
  event: text,
  userId: fc.option(text, { nil: undefined }),
  sentAt: fc.option(fc.oneof(instant, text), { nil: undefined }),
  timestamp: instant,
  userAgent: fc.constantFrom(undefined, CHROME_WINDOWS, IPHONE, GOOGLEBOT),
  properties: fc.dictionary(
    fc.string({ maxLength: 8 }),
    fc.oneof(text, fc.double({ noNaN: true }), fc.integer(), fc.boolean()),
    { maxKeys: 5 },
  ),
  revenue: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: undefined }),
  title: text,
  url: text,
});

it('stores a RowBinary row exactly as the JSONEachRow line of the same row', async () => {
  const samples = fc.sample(event, { numRuns: 400, seed: 20261205 });
  const records = samples.map((s) => {
    const value = bytes(
      collectedEvent({
        messageId: s.messageId,
        timestamp: s.timestamp,
        event: {
          type: s.type,
          event: s.event,
          ...(s.userId === undefined ? {} : { userId: s.userId }),
          ...(s.sentAt === undefined ? {} : { sentAt: s.sentAt }),
          properties: {
            ...s.properties,
            ...(s.revenue === undefined ? {} : { revenue: s.revenue }),
            title: s.title,
            url: s.url,
          },
          context: s.userAgent === undefined ? {} : { userAgent: s.userAgent },
        } as never,
      }),
    );
    const decoded = decodeRecord(value);
    const [first] = decoded.ok ? decoded.events : [];
    if (!first?.ok) throw new Error(`fixture not loadable: ${JSON.stringify(s)}`);
    return { record: first.record, shared: decoded };
  });
  const rows = new RowWriter(1024);
  const ends: number[] = [];
  for (const { record, shared } of records) {
    writeEventRow(rows, record, shared);
    ends.push(rows.length);
  }
  const binary = rows.finish();
  await insertRowBinary(
    clickhouse,
    `${database}.events_binary`,
    EVENT_ROW_COLUMNS,
    ends.map((end, i) => binary.subarray(ends[i - 1] ?? 0, end)),
  );
  await insertJsonLines(
    clickhouse,
    `${database}.events_json`,
    records.map(({ record }) => jsonEachRowLine(toEventRow(record))),
  );
  const read = async (table: string) => {
    const rs = await clickhouse.query({
      query: `SELECT * FROM ${database}.${table} ORDER BY message_id`,
      format: 'JSONEachRow',
    });
    return rs.json<Record<string, unknown>>();
  };
  const [fromBinary, fromJson] = await Promise.all([read('events_binary'), read('events_json')]);
  expect(fromBinary).toHaveLength(records.length);
  expect(fromBinary).toEqual(fromJson);
});
