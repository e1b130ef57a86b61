import type { EventRow, IdentityRow } from './schema/columns.js';

/** Where a message came from: enough to dead-letter it with its original bytes. */
export interface SourceMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
}

export type DeadLetterStage = 'parse' | 'validate' | 'load';

/** One consumed message and what to do with it. */
export type WorkItem =
  | { kind: 'load'; source: SourceMessage; event: EventRow; identity: IdentityRow | undefined }
  | { kind: 'dead'; source: SourceMessage; stage: DeadLetterStage; reason: string };
