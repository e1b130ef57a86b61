/** Where kafkajs's default (Java-compatible murmur2) partitioner puts a key: the reference placement. */
import kafkajs from 'kafkajs';

export const kafkajsPartition = (topic: string, key: string, partitions: number): number =>
  kafkajs.Partitioners.DefaultPartitioner()({
    topic,
    partitionMetadata: Array.from({ length: partitions }, (_, i) => ({
      partitionId: i,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    })),
    message: { key, value: '' },
  });
