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

describe('loadCollectorConfig', () => {
  it('reports env and project problems together', () => {
    expect(() => loadCollectorConfig({ COLLECTOR_PORT: 'eighty', WAYMARK_PROJECTS: '[]' })).toThrow(
      ConfigError,
    );
    try {
      loadCollectorConfig({ COLLECTOR_PORT: 'eighty', WAYMARK_PROJECTS: '[]' });
    } catch (err) {
      expect((err as Error).message).toMatch(
        /COLLECTOR_PORT: .*; invalid WAYMARK_PROJECTS .*at least one project/,
      );
    }
  });

  it('parses proxies, limits and Kafka settings', () => {
    const config = loadCollectorConfig({
      COLLECTOR_TRUST_PROXY: '10.0.0.1, 10.0.0.2',
      KAFKA_BROKERS: 'a:9092, b:9092',
      KAFKA_COMPRESSION: 'none',
    });
    expect(config.trustProxy).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(config.kafka).toMatchObject({
      brokers: ['a:9092', 'b:9092'],
      eventsTopic: 'waymark.events',
      invalidEventsTopic: 'waymark.events.invalid',
      compression: 'none',
    });
    expect(loadCollectorConfig({ COLLECTOR_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(Object.isFrozen(config)).toBe(true);
  });
});
