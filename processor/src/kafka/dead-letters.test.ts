import type { Message, Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { collectedEvent, recordOf } from '../test/records.js';
import {
  DEAD_LETTER_HEADERS,
  type DeadLetter,
  messageBytes,
  toDeadLetterMessage,
  toStubMessage,
} from './dead-letters.js';
import { isRefusedAsTooLarge, sendDeadLetters } from './send-dead-letters.js';

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

  it('carries one event of a version-2 record alone, and says which it was', () => {
    const value = recordOf(['a', 'b', 'c'].map((messageId) => collectedEvent({ messageId })));
    const letter: DeadLetter = {
      source: {
        topic: 'e',
        partition: 1,
        offset: '7',
        key: null,
        value,
        event: { index: 1, of: 3 },
      },
      stage: 'validate',
      reason: 'invalid event — events.1.event.type: …',
    };
    const message = toDeadLetterMessage(letter, new Date());
    expect(message.headers?.[DEAD_LETTER_HEADERS.sourceEvent]).toBe('1/3');
    const carried = JSON.parse(String(message.value));
    expect(carried.events.map((e: { event: { messageId: string } }) => e.event.messageId)).toEqual([
      'b',
    ]);
    // A stub names that event only.
    const stub = JSON.parse(String(toStubMessage(letter, new Date()).value));
    expect(stub).toMatchObject({ projectId: 'p1', messageIds: ['b'] });
    const whole = JSON.parse(
      String(
        toStubMessage({ ...letter, source: { ...letter.source, event: undefined } }, new Date())
          .value,
      ),
    );
    expect(whole.messageIds).toEqual(['a', 'b', 'c']);
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

describe('sendDeadLetters', () => {
  const letter = (offset: number, size: number): DeadLetter => ({
    source: {
      topic: 'events',
      partition: 0,
      offset: String(offset),
      key: Buffer.from('p1:a1'),
      value: Buffer.from(
        JSON.stringify({
          projectId: 'p1',
          event: { messageId: `m${offset}` },
          pad: 'x'.repeat(size),
        }),
      ),
    },
    stage: 'validate',
    reason: 'invalid record',
  });

  /** A broker that refuses a send whose messages add up to more than `limit` bytes, as kafkajs reports it. */
  function broker(limit: number) {
    const sent: Message[][] = [];
    const producer = {
      send: async ({ messages }: { messages: Message[] }) => {
        if (messages.reduce((n, m) => n + messageBytes(m), 0) > limit) {
          // kafkajs rejects with a KafkaJSNonRetriableError whose cause is the broker's error.
          throw Object.assign(new Error('too large'), {
            name: 'KafkaJSNonRetriableError',
            cause: Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE' }),
          });
        }
        sent.push(messages);
        return [];
      },
    };
    return { producer: producer as unknown as Producer, sent };
  }

  const deps = (producer: Producer, maxBytes: number) => {
    const stubs: string[] = [];
    const dropped: string[] = [];
    return {
      stubs,
      dropped,
      deps: {
        producer,
        topic: 'dead',
        maxBytes,
        retrying: (send: () => Promise<void>) => send(),
        onStub: (l: DeadLetter) => stubs.push(l.source.offset),
        onDropped: (l: DeadLetter) => dropped.push(l.source.offset),
      },
    };
  };

  it('sends in chunks of at most maxBytes, and a single larger letter as a stub', async () => {
    const { producer, sent } = broker(Number.POSITIVE_INFINITY);
    const { deps: d, stubs } = deps(producer, 10_000);
    const letters = [...Array.from({ length: 10 }, (_, i) => letter(i, 3000)), letter(10, 50_000)];
    await sendDeadLetters(d, letters, new Date());
    expect(stubs).toEqual(['10']);
    expect(sent.flat()).toHaveLength(11);
    for (const batch of sent) {
      expect(batch.reduce((n, m) => n + messageBytes(m), 0)).toBeLessThanOrEqual(10_000);
    }
    const stub = sent.flat().find((m) => m.headers?.[DEAD_LETTER_HEADERS.stub] !== undefined);
    expect(JSON.parse(String(stub?.value))).toMatchObject({ projectId: 'p1', messageIds: ['m10'] });
  });

  it('splits what the broker refuses as too large, stubs it, and drops a refused stub', async () => {
    // The broker takes less than configured: every letter alone is too large, stubs fit.
    const { producer, sent } = broker(6000);
    const { deps: d, stubs, dropped } = deps(producer, 100_000);
    await sendDeadLetters(d, [letter(0, 8000), letter(1, 8000), letter(2, 100)], new Date());
    expect(stubs).toEqual(['0', '1']);
    expect(dropped).toEqual([]);
    expect(sent.flat().map((m) => m.headers?.[DEAD_LETTER_HEADERS.sourceOffset])).toEqual([
      '0',
      '1',
      '2',
    ]);
    // A broker that takes nothing of this size: the stub is dropped, the send still ends.
    const tiny = broker(100);
    const small = deps(tiny.producer, 100_000);
    await sendDeadLetters(small.deps, [letter(3, 8000)], new Date());
    expect(small.dropped).toEqual(['3']);
    expect(tiny.sent).toEqual([]);
  });

  it('rethrows other failures for the caller to retry', async () => {
    const producer = { send: async () => Promise.reject(new Error('connection refused')) };
    const { deps: d } = deps(producer as unknown as Producer, 100_000);
    await expect(sendDeadLetters(d, [letter(0, 10)], new Date())).rejects.toThrow(/refused/);
  });

  it('recognises a size refusal however kafkajs wraps it', () => {
    const cause = Object.assign(new Error('x'), { type: 'RECORD_LIST_TOO_LARGE' });
    expect(isRefusedAsTooLarge({ cause: { cause } })).toBe(true);
    expect(isRefusedAsTooLarge(new Error('timeout'))).toBe(false);
  });
});
