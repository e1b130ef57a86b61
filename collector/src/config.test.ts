import { describe, expect, it } from 'vitest';
import { ConfigError, loadCollectorConfig } from './config.js';

describe('KAFKA_CLIENT', () => {
  it('defaults to kafkajs', () => {
    expect(loadCollectorConfig({}).kafka.client).toBe('kafkajs');
  });

  it('accepts platformatic', () => {
    expect(loadCollectorConfig({ KAFKA_CLIENT: 'platformatic' }).kafka.client).toBe('platformatic');
  });

  it('refuses any other client, naming the setting and the choices', () => {
    expect(() => loadCollectorConfig({ KAFKA_CLIENT: 'rdkafka' })).toThrow(ConfigError);
    expect(() => loadCollectorConfig({ KAFKA_CLIENT: 'rdkafka' })).toThrow(
      'KAFKA_CLIENT: must be one of kafkajs, platformatic',
    );
  });
});
