/**
 * The session and first touch of an event, classified on the server from raw fields with the
 * shared classifier. The SDK's own `context.waymark.channel` is never read: clients are not trusted.
 */
import { classifyChannel } from '@waymark/contract/channel';
import { pageOf } from '@waymark/contract/page';
import type { ChannelTouch, WireCampaign, WireEvent, WireTouch } from '@waymark/contract/wire';
import { TouchMemo } from './touch-memo.js';

export interface Touches {
  sessionTouch: ChannelTouch;
  firstTouch: ChannelTouch;
}

/**
 * Every event of a session carries the same session and first touch, so most classifications
 * repeat one seen a moment ago: remembered per process (the classifier is pure).
 */
const memo = new TouchMemo(classifyChannel);

function classifyPage(url: string, referrer: string, campaign: WireCampaign | undefined) {
  // Segment libraries send `context.campaign`; it changes the answer, so it is not memoized.
  return campaign
    ? Object.freeze(classifyChannel({ url, referrer, campaign }))
    : memo.classify(url, referrer);
}

/**
 * Session touch: `context.waymark.sessionTouch` (the landing URL and referrer the SDK kept) when
 * present, else this event's own page URL, referrer (`pageOf`: context.page, else a page event's
 * properties) and `context.campaign` (Segment libraries).
 * First touch: `context.waymark.firstTouch` when present, else the session touch.
 * The touches returned are frozen and may be shared between events.
 */
export function touchesOf(event: WireEvent): Touches {
  const context = event.context;
  const waymark = context?.waymark;
  const session: WireTouch | undefined = waymark?.sessionTouch;
  const page = session ? undefined : pageOf(event);
  const sessionTouch = session
    ? memo.classify(session.url, session.referrer)
    : classifyPage(page?.url ?? '', page?.referrer ?? '', context?.campaign);
  const first = waymark?.firstTouch;
  const firstTouch = first ? memo.classify(first.url, first.referrer) : sessionTouch;
  return { sessionTouch, firstTouch };
}
