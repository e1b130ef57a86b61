/**
 * Every limit that more than one process checks, once. The collector's limits bound what one
 * request can cost (memory, CPU, Kafka bytes) and stop abuse; each rejection names the limit it
 * hit (collector/README.md, "Limits"). The processor validates the Kafka record against the
 * same numbers (record.ts), so an event the collector acknowledges is one the processor stores:
 * infra/e2e/limits-agree.test.ts checks both sides at each limit's edge.
 */
export const LIMITS = Object.freeze({
  /** Request body after gzip decoding, bytes. */
  maxBodyBytes: 500 * 1024,
  /** One event, serialized as JSON, bytes. */
  maxEventBytes: 32 * 1024,
  /** Events per `/v1/batch` request. */
  maxBatchEvents: 500,
  /** Nesting of objects and arrays inside one event (the event itself is depth 1). */
  maxDepth: 12,
  /** Characters in any string value. */
  maxStringLength: 8192,
  /** Characters in any object key. */
  maxKeyLength: 256,
  /** Keys of any one object, and items of any one array. */
  maxCollectionSize: 1000,
  /** Characters of ids (messageId, anonymousId, userId, groupId, previousId) and event names. */
  maxIdLength: 256,
  /** Characters of a project id (projects.ts), which every Kafka record carries. */
  maxProjectIdLength: 64,
  /** A corrected timestamp later than receivedAt plus this is rejected as absurd. */
  maxFutureMs: 24 * 60 * 60 * 1000,
  /** Earliest timestamp accepted (earlier ones are absurd for web analytics). */
  minTimestampMs: Date.UTC(2000, 0, 1),
  /**
   * The instants the processor can store: the columns are DateTime64(3) (1900 … 2299), but the
   * rollups keep page-view seconds as UInt32 (1970-01-01 … 2106-02-07), and rows from before
   * migration 4 were DateTime (the same range): a year cap of 2105 keeps every accepted instant
   * storable in every column. From this (inclusive) …
   */
  minStorableMs: 0,
  /** … to this (exclusive). */
  maxStorableMs: Date.UTC(2106, 0, 1),
});
