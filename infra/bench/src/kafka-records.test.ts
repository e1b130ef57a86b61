import { expect, it } from 'vitest';
import { collectedRecords, valueBytes } from './kafka-records.js';

it('builds one CollectedEvent per record by default', () => {
  const records = collectedRecords(40, 4);
  expect(records).toHaveLength(40);
  const first = JSON.parse(records[0]?.value ?? '') as { event: { anonymousId: string } };
  expect(first.event.anonymousId).toBeTypeOf('string');
  expect(new Set(records.map((r) => r.key)).size).toBe(4);
});

it('builds records of 20 events as a JSON array of one person’s CollectedEvents', () => {
  const single = collectedRecords(40, 4);
  const records = collectedRecords(40, 4, 20);
  expect(records).toHaveLength(2);
  for (const record of records) {
    const events = JSON.parse(record.value) as { event: { anonymousId: string } }[];
    expect(events).toHaveLength(20);
    expect(new Set(events.map((e) => e.event.anonymousId)).size).toBe(1);
  }
  // The same events, so about the same bytes (array brackets and commas aside).
  expect(valueBytes(records) / valueBytes(single)).toBeCloseTo(1, 1);
});

it('refuses a count of events that does not fill whole records', () => {
  expect(() => collectedRecords(30, 4, 20)).toThrow(/do not fill/);
});
