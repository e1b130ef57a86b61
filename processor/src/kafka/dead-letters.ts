import type { Message } from 'kafkajs';
import type { DeadLetterStage, SourceMessage } from '../work.js';

/**
 * A dead letter is the original message, byte for byte (value and key), with headers that say
 * why and where it came from, so it can be inspected and, once fixed, produced again as is.
 */
export const DEAD_LETTER_HEADERS = {
  reason: 'waymark-dead-letter-reason',
  stage: 'waymark-dead-letter-stage',
  sourceTopic: 'waymark-source-topic',
  sourcePartition: 'waymark-source-partition',
  sourceOffset: 'waymark-source-offset',
  failedAt: 'waymark-dead-letter-at',
} as const;

export interface DeadLetter {
  source: SourceMessage;
  stage: DeadLetterStage;
  reason: string;
}

// Headers are small; a runaway ClickHouse message (it may quote the row) is cut.
const MAX_REASON_LENGTH = 2000;

export function toDeadLetterMessage({ source, stage, reason }: DeadLetter, now: Date): Message {
  return {
    key: source.key,
    value: source.value,
    headers: {
      [DEAD_LETTER_HEADERS.reason]: reason.slice(0, MAX_REASON_LENGTH),
      [DEAD_LETTER_HEADERS.stage]: stage,
      [DEAD_LETTER_HEADERS.sourceTopic]: source.topic,
      [DEAD_LETTER_HEADERS.sourcePartition]: String(source.partition),
      [DEAD_LETTER_HEADERS.sourceOffset]: source.offset,
      [DEAD_LETTER_HEADERS.failedAt]: now.toISOString(),
    },
  };
}
