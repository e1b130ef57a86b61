import { CompressionTypes, type Message, type Producer } from 'kafkajs';
import {
  DEAD_LETTER_HEADERS,
  type DeadLetter,
  messageBytes,
  toDeadLetterMessage,
  toStubMessage,
} from './dead-letters.js';

/** Broker answers that mean "this record (batch) is too large": resending it cannot help. */
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/** Whether kafkajs failed a send because the broker refused its size (it wraps the cause). */
export function isRefusedAsTooLarge(err: unknown): boolean {
  let e = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    if (TOO_LARGE.has(String((e as { type?: unknown }).type))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

export interface DeadLetterSendDeps {
  producer: Producer;
  topic: string;
  /**
   * Bytes (key + value + headers, before compression) one send carries at most; a single dead
   * letter above it is sent as a stub. Below the topic's max.message.bytes, so that a record
   * batch fits even when compression gains nothing.
   */
  maxBytes: number;
  /** Runs a send until it succeeds, retrying what may pass later (the broker down). */
  retrying: (send: () => Promise<void>) => Promise<void>;
  /** A stub was sent in place of a dead letter. */
  onStub: (letter: DeadLetter) => void;
  /** Even the stub was refused as too large (a topic limit of a few KB): nothing was sent. */
  onDropped: (letter: DeadLetter, err: unknown) => void;
}

interface Outgoing {
  letter: DeadLetter;
  message: Message;
}

/** Consecutive runs of messages of at most `maxBytes` in all (a larger one alone). */
function chunks(outgoing: readonly Outgoing[], maxBytes: number): Outgoing[][] {
  const result: Outgoing[][] = [];
  let current: Outgoing[] = [];
  let bytes = 0;
  for (const o of outgoing) {
    const size = messageBytes(o.message);
    if (current.length > 0 && bytes + size > maxBytes) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(o);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/**
 * Produces a flush's dead letters (acks=all, gzip) in sends of at most `maxBytes`, so that their
 * total size never decides whether they can be written. What the broker still refuses as too
 * large (a topic with a lower max.message.bytes) is split until each dead letter is alone, then
 * sent as a stub; a stub refused too is dropped and reported. Size can therefore never hold
 * loading back; only a broker that is down can, and that is retried (`retrying`) until it is
 * back, because a dead letter must be durable before its source offset is committed.
 */
export async function sendDeadLetters(
  deps: DeadLetterSendDeps,
  letters: readonly DeadLetter[],
  now: Date,
): Promise<void> {
  const send = (batch: readonly Outgoing[]) =>
    deps.retrying(async () => {
      await deps.producer.send({
        topic: deps.topic,
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages: batch.map((o) => o.message),
      });
    });

  const sendOrSplit = async (batch: readonly Outgoing[]): Promise<void> => {
    try {
      await send(batch);
    } catch (err) {
      if (!isRefusedAsTooLarge(err)) throw err;
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await sendOrSplit(batch.slice(0, half));
        await sendOrSplit(batch.slice(half));
        return;
      }
      const [only] = batch as [Outgoing];
      if (only.message.headers?.[DEAD_LETTER_HEADERS.stub] !== undefined) {
        deps.onDropped(only.letter, err);
        return;
      }
      await sendOrSplit([stubbed(only.letter)]);
    }
  };

  const stubbed = (letter: DeadLetter): Outgoing => {
    deps.onStub(letter);
    return { letter, message: toStubMessage(letter, now) };
  };

  const outgoing = letters.map((letter) => {
    const message = toDeadLetterMessage(letter, now);
    return messageBytes(message) > deps.maxBytes ? stubbed(letter) : { letter, message };
  });
  for (const batch of chunks(outgoing, deps.maxBytes)) await sendOrSplit(batch);
}
