import kafkajs, { type PartitionMetadata } from 'kafkajs';
import { expect, it } from 'vitest';
import { sameKeyPartitioner } from './partitioner.js';

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
