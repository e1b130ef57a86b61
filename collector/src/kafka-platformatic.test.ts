import { gunzipSync, gzipSync } from 'node:zlib';
import { compressionsAlgorithms, murmur2 } from '@platformatic/kafka';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  javaCompatiblePartitioner,
  OverlappingSendError,
  oneSendPerLane,
  useGzipLevel,
} from './kafka-platformatic.js';
import { kafkajsPartition } from './test/kafkajs-partition.js';

/** What @platformatic/kafka does with a partitioner's answer before sending. */
const placed = (raw: number, partitions: number) => raw % partitions;

it('places every key in the partition kafkajs places it in', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 64 }), (key, n) => {
      const partition = javaCompatiblePartitioner()(
        { topic: 'events', key, value: '' },
        Buffer.from(key),
        { metadata: undefined },
      );
      expect(placed(partition, n)).toBe(kafkajsPartition('events', key, n));
    }),
    { numRuns: 500, seed: 7 },
  );
});

it('differs from the library default, which would move keys whose hash is negative', () => {
  const key = Array.from({ length: 200 }, (_, i) => `shop:anon-${i}`).find(
    (k) => murmur2(Buffer.from(k)) < 0,
  );
  expect(key).toBeDefined();
  const raw = javaCompatiblePartitioner()(
    { topic: 'events', key: key!, value: '' },
    Buffer.from(key!),
    { metadata: undefined },
  );
  expect(placed(raw, 12)).toBe(kafkajsPartition('events', key!, 12));
  expect((murmur2(Buffer.from(key!)) >>> 0) % 12).not.toBe(placed(raw, 12));
});

it('remembers a run of equal keys per topic, and answers afresh for a new key or topic', () => {
  const partitionOf = javaCompatiblePartitioner();
  const at = (topic: string, key: string) =>
    placed(partitionOf({ topic, key, value: '' }, Buffer.from(key), { metadata: undefined }), 7);
  for (const [topic, key] of [
    ['events', 'shop:a'],
    ['events', 'shop:a'],
    ['events', 'shop:b'],
    ['invalid', 'shop:b'],
    ['events', 'shop:a'],
  ] as const) {
    expect(at(topic, key)).toBe(kafkajsPartition(topic, key, 7));
  }
});

it('gzips produce requests at the configured level', () => {
  const records = Buffer.from(JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ i }))));
  useGzipLevel(1);
  const fast = compressionsAlgorithms.gzip.compressSync(records);
  expect(fast).toEqual(gzipSync(records, { level: 1 }));
  useGzipLevel(9);
  const small = compressionsAlgorithms.gzip.compressSync(records);
  expect(small).toEqual(gzipSync(records, { level: 9 }));
  expect(small).not.toEqual(fast);
  expect(gunzipSync(small)).toEqual(records);
});

it('refuses a second send on a lane whose first has not settled, and lets lanes work side by side', async () => {
  const settle: (() => void)[] = [];
  const sent: number[] = [];
  const send = oneSendPerLane(async (lane: number) => {
    sent.push(lane);
    await new Promise<void>((resolve) => settle.push(resolve));
  });
  const first = send(0);
  const other = send(1);
  await expect(send(0)).rejects.toBeInstanceOf(OverlappingSendError);
  expect(sent).toEqual([0, 1]);
  for (const done of settle) done();
  await Promise.all([first, other]);
  // Settled (even by a failure), the lane takes the next send.
  const failing = oneSendPerLane(async () => {
    throw new Error('broker down');
  });
  await expect(failing(0)).rejects.toThrow('broker down');
  await expect(failing(0)).rejects.toThrow('broker down');
  const next = send(0);
  await Promise.resolve();
  settle.at(-1)!();
  await next;
  expect(sent).toEqual([0, 1, 0]);
});
