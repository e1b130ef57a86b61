/**
 * Input limits. They bound what one request can cost (memory, CPU, Kafka bytes) and stop abuse;
 * each rejection names the limit it hit. Documented in README.md ("Limits").
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
  /** A corrected timestamp later than receivedAt plus this is rejected as absurd. */
  maxFutureMs: 24 * 60 * 60 * 1000,
  /** Earliest timestamp accepted (earlier ones are absurd for web analytics). */
  minTimestampMs: Date.UTC(2000, 0, 1),
  /** Raw payload bytes kept in an invalid-event record. */
  maxInvalidRawBytes: 32 * 1024,
});
