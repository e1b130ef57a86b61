import { describe, expect, it } from 'vitest';
import { loadStackConfig, StackError } from './config.js';
import { fillTemplate } from './process.js';

// Templates use ${NAME} placeholders, so these strings hold them on purpose.
const t = (...parts: string[]) => parts.join('');

describe('fillTemplate', () => {
  it('fills every placeholder', () => {
    expect(fillTemplate(t('a=$', '{A_B} b=$', '{C}'), { A_B: 1, C: 'x' })).toBe('a=1 b=x');
  });
  it('leaves non-placeholder dollars alone', () => {
    const log4j = t('$', '{kafka.logs.dir}/x');
    expect(fillTemplate(log4j, {})).toBe(log4j);
  });
  it('throws on a placeholder without a value', () => {
    expect(() => fillTemplate(t('$', '{MISSING}'), {})).toThrow(/MISSING/);
  });
});

describe('loadStackConfig', () => {
  it('has loopback defaults', () => {
    const config = loadStackConfig({});
    expect(config).toMatchObject({ kafkaPort: 9092, clickhouseHttpPort: 8123 });
    expect(config.stateDir).toMatch(/\.waymark$/);
    expect(Object.isFrozen(config)).toBe(true);
  });
  it('reports every bad value at once', () => {
    const attempt = () => loadStackConfig({ KAFKA_PORT: '70000', KAFKA_HEAP: 'lots' });
    expect(attempt).toThrow(StackError);
    expect(attempt).toThrow(/KAFKA_PORT: .*; KAFKA_HEAP: a JVM size/);
  });
});
