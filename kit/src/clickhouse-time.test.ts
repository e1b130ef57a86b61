import { describe, expect, it } from 'vitest';
import { clickHouseDateTime, clickHouseDateTime64 } from './clickhouse-time.js';

describe('ClickHouse DateTime text', () => {
  const ms = Date.parse('2026-03-01T09:05:07.089Z');

  it('writes UTC seconds for DateTime and milliseconds for DateTime64(3)', () => {
    expect(clickHouseDateTime(ms)).toBe('2026-03-01 09:05:07');
    expect(clickHouseDateTime64(ms)).toBe('2026-03-01 09:05:07.089');
  });

  it('drops the fraction rather than rounding it', () => {
    expect(clickHouseDateTime(Date.parse('2026-12-31T23:59:59.999Z'))).toBe('2026-12-31 23:59:59');
  });
});
