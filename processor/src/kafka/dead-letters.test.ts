import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS, toDeadLetterMessage } from './dead-letters.js';

describe('toDeadLetterMessage', () => {
  it('keeps the original bytes and says why and where from', () => {
    const value = Buffer.from([0xff, 0x00, 0x7b]);
    const key = Buffer.from('p1:a1');
    const message = toDeadLetterMessage(
      {
        source: { topic: 'waymark.events', partition: 3, offset: '42', key, value },
        stage: 'parse',
        reason: 'not JSON: Unexpected token',
      },
      new Date('2026-11-20T10:00:00Z'),
    );
    expect(message.value).toBe(value);
    expect(message.key).toBe(key);
    expect(message.headers).toEqual({
      [DEAD_LETTER_HEADERS.reason]: 'not JSON: Unexpected token',
      [DEAD_LETTER_HEADERS.stage]: 'parse',
      [DEAD_LETTER_HEADERS.sourceTopic]: 'waymark.events',
      [DEAD_LETTER_HEADERS.sourcePartition]: '3',
      [DEAD_LETTER_HEADERS.sourceOffset]: '42',
      [DEAD_LETTER_HEADERS.failedAt]: '2026-11-20T10:00:00.000Z',
    });
  });

  it('cuts a very long reason', () => {
    const message = toDeadLetterMessage(
      {
        source: { topic: 't', partition: 0, offset: '0', key: null, value: null },
        stage: 'load',
        reason: 'x'.repeat(10_000),
      },
      new Date(),
    );
    expect(String(message.headers?.[DEAD_LETTER_HEADERS.reason])).toHaveLength(2000);
  });
});
