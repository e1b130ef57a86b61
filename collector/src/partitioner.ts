/**
 * kafkajs's default (Java-compatible murmur2) partitioner, remembering its last answer. The
 * events of one request share one key (project + person), and kafkajs asks for every message, so
 * a run of equal keys is hashed once. The same keys land in the same partitions as before.
 */
import kafkajs, { type ICustomPartitioner } from 'kafkajs';

export const sameKeyPartitioner: ICustomPartitioner = () => {
  const partitionOf = kafkajs.Partitioners.DefaultPartitioner();
  let lastTopic: string | undefined;
  let lastKey: unknown;
  let lastCount = -1;
  let lastPartition = 0;
  return (args) => {
    const { topic, partitionMetadata, message } = args;
    // A message with its own partition, or without a key, is not ours to remember.
    if (message.partition != null || message.key == null) return partitionOf(args);
    if (message.key === lastKey && topic === lastTopic && partitionMetadata.length === lastCount) {
      return lastPartition;
    }
    lastPartition = partitionOf(args);
    lastTopic = topic;
    lastKey = message.key;
    lastCount = partitionMetadata.length;
    return lastPartition;
  };
};
