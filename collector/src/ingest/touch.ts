/**
 * The session and first touch of an event, classified on the server from raw fields with the
 * shared classifier. The SDK's own `context.waymark.channel` is never read: clients are not trusted.
 */
import { classifyChannel } from '@waymark/sdk/channel';
import type { ChannelTouch, WireEvent, WireTouch } from '@waymark/sdk/wire';

export interface Touches {
  sessionTouch: ChannelTouch;
  firstTouch: ChannelTouch;
}

function classifyRaw(touch: WireTouch): ChannelTouch {
  return classifyChannel({ url: touch.url, referrer: touch.referrer });
}

/**
 * Session touch: `context.waymark.sessionTouch` (the landing URL and referrer the SDK kept) when
 * present, else this event's own page URL, referrer and `context.campaign` (Segment libraries).
 * First touch: `context.waymark.firstTouch` when present, else the session touch.
 */
export function touchesOf(event: WireEvent): Touches {
  const context = event.context;
  const waymark = context?.waymark;
  const sessionTouch = waymark?.sessionTouch
    ? classifyRaw(waymark.sessionTouch)
    : classifyChannel({
        url: context?.page?.url ?? '',
        referrer: context?.page?.referrer ?? '',
        ...(context?.campaign ? { campaign: context.campaign } : {}),
      });
  const firstTouch = waymark?.firstTouch ? classifyRaw(waymark.firstTouch) : sessionTouch;
  return { sessionTouch, firstTouch };
}
