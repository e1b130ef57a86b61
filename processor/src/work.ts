/** Where a message (or one event of it) came from: enough to dead-letter it with its bytes. */
export interface SourceMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /**
   * Set for one event of a record of several: which one. Its dead letter carries that event
   * alone (contract `singleEventValue`), not its neighbours, which load.
   */
  event?: { index: number; of: number };
}

export type DeadLetterStage = 'parse' | 'validate' | 'load';

/** The ids an event is stored under, checked against erased people before it is inserted. */
export type { EventSubject } from '@waymark/contract/schema';

import type { EventSubject } from '@waymark/contract/schema';

/**
 * A JSONEachRow line: text, or its UTF-8 bytes (from a prepare thread, which encodes the lines
 * of a batch into one transferred buffer, so the event loop neither copies nor encodes them).
 */
export type RowLine = string | Uint8Array;

/** One event of a consumed message (or a message that is unreadable) and what to do with it. */
export type WorkItem =
  | {
      kind: 'load';
      source: SourceMessage;
      /**
       * The events row, serialized already as a JSONEachRow line: done when the message is
       * prepared, while the previous insert runs, so an insert starts without that work.
       */
      eventLine: RowLine;
      /** The identities row (identify events only), as a JSONEachRow line. */
      identityLine: string | undefined;
      /**
       * The event's ids, for the erased-people check; undefined when nobody was erased as the
       * message was prepared (prepare threads then do not send them back).
       */
      subject: EventSubject | undefined;
    }
  | { kind: 'dead'; source: SourceMessage; stage: DeadLetterStage; reason: string };
