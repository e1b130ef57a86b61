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

/** One event of a consumed message (or a message that is unreadable) and what to do with it. */
export type WorkItem =
  | {
      kind: 'load';
      source: SourceMessage;
      /**
       * The events row, encoded already as RowBinary (rows.ts `writeEventRow`): done when the
       * message is prepared, while the previous insert runs, so an insert starts without that
       * work. From a prepare thread, a view of the batch's one transferred buffer.
       */
      eventRow: Uint8Array;
      /** The identities row (identify events only), as a JSONEachRow line. */
      identityLine: string | undefined;
      /**
       * The event's ids, for the erased-people check; undefined when nobody was erased as the
       * message was prepared (prepare threads then do not send them back).
       */
      subject: EventSubject | undefined;
    }
  | { kind: 'dead'; source: SourceMessage; stage: DeadLetterStage; reason: string };
