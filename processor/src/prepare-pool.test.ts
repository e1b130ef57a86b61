import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { type Prepared, prepareValue } from './prepare.js';
import { packValues, prepareRequest, unpackPrepared } from './prepare-batch.js';
import { createPreparer } from './prepare-pool.js';
import { readEventRow } from './rows.js';
import { bytes, collectedEvent, recordOf } from './test/records.js';
import type { SourceMessage, WorkItem } from './work.js';

// Rows compared as what they hold (a view of a thread's buffer and a row of its own alike).
const texts = (items: WorkItem[]) =>
  items.map((i) => (i.kind === 'load' ? { ...i, eventRow: readEventRow(i.eventRow) } : i));

// A version-2 record whose second event is invalid.
const mixed = JSON.parse(
  recordOf([
    collectedEvent({ messageId: 'r1', event: { type: 'identify', userId: 'u-2' } }),
    collectedEvent({ messageId: 'r2' }),
    collectedEvent({ messageId: 'r3', event: { properties: { name: 'ß' } } }),
  ]).toString(),
);
mixed.events[1].event.messageId = '';

// Every kind of message a partition can hold: loadable, identify (two rows), no value, not
// JSON, not a record, a multi-byte value (offsets are bytes, lines are UTF-16 strings), and
// version-2 records of several events, one with an invalid event.
const values: (Buffer | null)[] = [
  recordOf([collectedEvent({ messageId: 'v2-a' }), collectedEvent({ messageId: 'v2-b' })]),
  bytes(collectedEvent({ messageId: 'a' })),
  bytes(collectedEvent({ messageId: 'b', event: { type: 'identify', userId: 'u-1' } })),
  null,
  Buffer.from('{not json'),
  bytes({ collected: 'nope' }),
  bytes(collectedEvent({ messageId: 'c', event: { properties: { name: 'Ünïcødé ✓ 🚀' } } })),
  Buffer.alloc(0),
  bytes(collectedEvent({ messageId: 'd' })),
  bytes(mixed),
];

const sources = (vals: (Buffer | null)[]): SourceMessage[] =>
  vals.map((value, i) => ({ topic: 't', partition: 3, offset: String(100 + i), key: null, value }));

describe('prepare batches', () => {
  it('comes back from the packed form exactly as prepared one by one', () => {
    // With the ids asked for (someone was erased), as the inline path always has them.
    const request = packValues(7, values, true);
    const response = prepareRequest(request);
    expect(response.id).toBe(7);
    const unpacked = unpackPrepared(response);
    // Rows come back as views of one transferred buffer, inline each on its own: the same rows.
    const lines = (prepared: Prepared[]) =>
      prepared.map((p) =>
        p.ok ? p.events.map((e) => (e.ok ? { ...e, eventRow: readEventRow(e.eventRow) } : e)) : p,
      );
    const views = unpacked.flatMap((p) => (p.ok ? p.events : [])).filter((e) => e.ok);
    expect(new Set(views.map((e) => e.ok && e.eventRow.buffer)).size).toBe(1);
    expect(lines(unpacked)).toEqual(lines(values.map((v) => prepareValue(v))));
    // Not asked: the ids stay behind.
    const without = unpackPrepared(prepareRequest(packValues(8, values)));
    expect(
      without.every((p) => !p.ok || p.events.every((e) => !e.ok || e.subject === undefined)),
    ).toBe(true);
  });

  it('marks each kind of message as loadable or dead as prepared inline', () => {
    const kinds = values.map((v) => {
      const p = prepareValue(v);
      return p.ok
        ? p.events.map((e) => (e.ok ? (e.identityLine ? 'event+identity' : 'event') : e.stage))
        : p.stage;
    });
    expect(kinds).toEqual([
      ['event', 'event'],
      ['event'],
      ['event+identity'],
      'parse',
      'parse',
      'validate',
      ['event'],
      'parse',
      ['event'],
      ['event+identity', 'validate', 'event'],
    ]);
  });
});

describe('createPreparer', () => {
  const threaded = createPreparer(2, pino({ level: 'silent' }), { wantsSubjects: () => true });
  const inline = createPreparer(0, pino({ level: 'silent' }));
  afterAll(async () => {
    await threaded.close();
    await inline.close();
  });

  it('prepares on threads what is prepared inline, batches in any number at once', async () => {
    const many = Array.from({ length: 12 }, (_, b) =>
      sources(
        Array.from({ length: 50 }, (_, i) =>
          i % 7 === 0 ? Buffer.from('[') : bytes(collectedEvent({ messageId: `m-${b}-${i}` })),
        ),
      ),
    );
    const onThreads = await Promise.all(many.map((batch) => threaded.prepare(batch)));
    const onLoop = await Promise.all(many.map((batch) => inline.prepare(batch)));
    expect(onThreads.map(texts)).toEqual(onLoop.map(texts));
    expect(onThreads.flat().filter((item) => item.kind === 'dead')).toHaveLength(12 * 8);
    expect(onThreads[4]?.[1]?.source.offset).toBe('101');
    const records = await threaded.prepare(sources(values));
    expect(records.map((i) => [i.source.offset, i.source.event, i.kind])).toEqual([
      ['100', { index: 0, of: 2 }, 'load'],
      ['100', { index: 1, of: 2 }, 'load'],
      ['101', undefined, 'load'],
      ['102', undefined, 'load'],
      ['103', undefined, 'dead'],
      ['104', undefined, 'dead'],
      ['105', undefined, 'dead'],
      ['106', undefined, 'load'],
      ['107', undefined, 'dead'],
      ['108', undefined, 'load'],
      ['109', { index: 0, of: 3 }, 'load'],
      ['109', { index: 1, of: 3 }, 'dead'],
      ['109', { index: 2, of: 3 }, 'load'],
    ]);
  });
});

describe('createPreparer when a thread dies', () => {
  const batch = sources(
    Array.from({ length: 30 }, (_, i) => bytes(collectedEvent({ messageId: `x-${i}` }))),
  );

  const dyingPreparer = (respawnAfterMs: number) => {
    const counter = { started: 0 };
    const preparer = createPreparer(1, pino({ level: 'silent' }), {
      // A thread that dies before answering anything.
      startThread: () => {
        counter.started++;
        return new Worker('process.exit(3)', { eval: true });
      },
      respawnAfterMs,
    });
    return { preparer, counter };
  };

  it('prepares the batches of a dead thread on the event loop, not starting another at once', async () => {
    const { preparer, counter } = dyingPreparer(60_000);
    const expected = await createPreparer(0, pino({ level: 'silent' })).prepare(batch);
    try {
      for (let i = 0; i < 3; i++)
        expect(texts(await preparer.prepare(batch))).toEqual(texts(expected));
      expect(counter.started).toBe(1);
    } finally {
      await preparer.close();
    }
  });

  it('starts another thread once the respawn delay has passed', async () => {
    const { preparer, counter } = dyingPreparer(0);
    try {
      for (let i = 0; i < 3; i++) await preparer.prepare(batch);
      expect(counter.started).toBe(3);
    } finally {
      await preparer.close();
    }
  });
});
