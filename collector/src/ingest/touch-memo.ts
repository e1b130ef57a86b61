/**
 * A bounded memo of touch classifications, keyed by landing URL and referrer (the kit's
 * `memoize2`). The classifier is pure, so a remembered answer is the answer; the bounds keep
 * hostile input (endless distinct or very long URLs) from growing memory: long keys are not kept,
 * and a full memo starts over.
 */
import type { ChannelTouch } from '@waymark/contract/wire';
import { type Memo2, memoize2 } from '@waymark/kit/memo';

type Classify = (input: { url: string; referrer: string }) => ChannelTouch;

/** Entries kept before the memo starts over (a busy site's concurrent sessions fit). */
const MAX_ENTRIES = 4096;
/** Longer URL + referrer pairs are classified every time instead of kept (≤ ~16 MB in all). */
const MAX_KEY_CHARS = 2048;

export class TouchMemo {
  private readonly memo: Memo2<ChannelTouch>;

  constructor(classifyTouch: Classify, maxEntries = MAX_ENTRIES) {
    this.memo = memoize2(
      (url, referrer) => Object.freeze(classifyTouch({ url, referrer })),
      maxEntries,
      MAX_KEY_CHARS,
    );
  }

  /** The classification of this touch, frozen: callers share it. */
  classify(url: string, referrer: string): ChannelTouch {
    return this.memo(url, referrer);
  }

  get size(): number {
    return this.memo.size;
  }
}
