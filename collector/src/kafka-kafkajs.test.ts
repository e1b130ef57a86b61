import { gunzipSync } from 'node:zlib';
import kafkajs, { type PartitionMetadata } from 'kafkajs';
import { afterEach, expect, it } from 'vitest';
import { sameKeyPartitioner, useGzipLevel } from './kafka-kafkajs.js';

const partitions = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));

it('answers exactly as the default partitioner, for runs of keys, topics and partition counts', () => {
  const ours = sameKeyPartitioner();
  const theirs = kafkajs.Partitioners.DefaultPartitioner();
  const keys = ['shop:a', 'shop:a', 'shop:a', 'shop:b', 'shop:a', 'other:a', 'shop:b', 'shop:b'];
  for (const topic of ['events', 'events.invalid']) {
    for (const count of [1, 6, 6, 12]) {
      for (const key of keys) {
        const args = { topic, partitionMetadata: partitions(count), message: { key, value: 'v' } };
        expect(ours(args)).toBe(theirs(args));
      }
    }
  }
  const fixed = {
    topic: 'events',
    partitionMetadata: partitions(6),
    message: { key: 'shop:a', value: 'v', partition: 4 },
  };
  expect(ours(fixed)).toBe(4);
  const afterFixed = { ...fixed, message: { key: 'shop:a', value: 'v' } };
  expect(ours(afterFixed)).toBe(theirs(afterFixed));
});

const original = kafkajs.CompressionCodecs[kafkajs.CompressionTypes.GZIP];
afterEach(() => {
  kafkajs.CompressionCodecs[kafkajs.CompressionTypes.GZIP] = original;
});

it('compresses at the level asked, into gzip that reads back the same', async () => {
  // Varied enough that the levels differ (a deterministic pseudo-random walk over some words).
  const words = ['shop', 'cart', 'shoes', 'trail', 'runner', 'google', 'cpc', 'winter', 'sale'];
  let seed = 7;
  const next = () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return seed;
  };
  const events = Array.from({ length: 400 }, () => ({
    path: `/${words[next() % words.length]}/${words[next() % words.length]}`,
    price: next() % 10_000,
    id: next().toString(36),
  }));
  const text = Buffer.from(JSON.stringify(events));
  const sizes: number[] = [];
  for (const level of [1, 9]) {
    useGzipLevel(level);
    const codec = kafkajs.CompressionCodecs[kafkajs.CompressionTypes.GZIP]();
    const compressed: Buffer = await codec.compress({ buffer: text });
    expect(gunzipSync(compressed).equals(text)).toBe(true);
    expect((await codec.decompress(compressed)).equals(text)).toBe(true);
    sizes.push(compressed.length);
  }
  expect(sizes[0]).toBeGreaterThan(sizes[1]!);
});
