/** The invalid-events topic record of a refused event: reason plus bounded raw payload. */

import { LIMITS } from '@waymark/contract/limits';
import type { InvalidEventRecord } from '@waymark/contract/record';
import type { ProducedRecord } from '../kafka.js';
import type { Rejection } from './event.js';
import { isPlainObject } from './plain-object.js';
import { boundedJson } from './raw.js';

export function invalidRecord(
  projectId: string,
  receivedAt: string,
  raw: unknown,
  rejection: Rejection,
): ProducedRecord {
  const { json, truncated } = boundedJson(raw, LIMITS.maxInvalidRawBytes);
  const record: InvalidEventRecord = {
    projectId,
    receivedAt,
    index: rejection.index,
    messageId: rejection.messageId,
    code: rejection.code,
    path: rejection.path,
    reason: rejection.reason,
    raw: json,
    rawTruncated: truncated,
  };
  const anonymousId =
    isPlainObject(raw) && typeof raw.anonymousId === 'string' ? raw.anonymousId : '';
  // Same key scheme as valid events, so a person's refusals sit beside their events.
  return { key: `${projectId}:${anonymousId}`, value: JSON.stringify(record) };
}
