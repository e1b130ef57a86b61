/**
 * A bounded memo of touch classifications, keyed by landing URL and referrer. The classifier is
 * pure, so a remembered answer is the answer; the bounds keep hostile input (endless distinct or
 * very long URLs) from growing memory: long keys are not kept, and a full memo starts over.
 */
import type { ChannelTouch } from '@waymark/contract/wire';

type Classify = (input: { url: string; referrer: string }) => ChannelTouch;

/** Entries kept before the memo starts over (a busy site's concurrent sessions fit). */
const MAX_ENTRIES = 4096;
/** Longer URL + referrer pairs are classified every time instead of kept (≤ ~16 MB in all). */
const MAX_KEY_CHARS = 2048;

export class TouchMemo {
  private byUrl = new Map<string, Map<string, ChannelTouch>>();
  private entries = 0;

  constructor(
    private readonly classifyTouch: Classify,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  /** The classification of this touch, frozen: callers share it. */
  classify(url: string, referrer: string): ChannelTouch {
    const byReferrer = this.byUrl.get(url);
    const known = byReferrer?.get(referrer);
    if (known !== undefined) return known;
    const touch = Object.freeze(this.classifyTouch({ url, referrer }));
    if (url.length + referrer.length > MAX_KEY_CHARS) return touch;
    let map = byReferrer;
    if (this.entries >= this.maxEntries) {
      this.byUrl = new Map();
      this.entries = 0;
      map = undefined;
    }
    if (map === undefined) {
      map = new Map();
      this.byUrl.set(url, map);
    }
    map.set(referrer, touch);
    this.entries++;
    return touch;
  }

  get size(): number {
    return this.entries;
  }
}
