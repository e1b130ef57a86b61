/**
 * The page an event was on, as both services read it: `context.page` (analytics.js and our SDK
 * fill it on every event), else — for `page` events — Segment's page properties (`url`,
 * `referrer`, `path`, `title`, `search`), which is how server-side libraries such as
 * @segment/analytics-node describe a page view. The collector classifies the channel from it and
 * the processor stores it, so a page view sent either way counts the same.
 */
import type { WirePage } from './wire.js';

const FIELDS = ['url', 'referrer', 'path', 'title', 'search'] as const;

/** RudderStack's browser SDK's referrer when there is none. */
const NO_REFERRER = '$direct';

/** What both sides hold: the wire event, or the processor's validated record (nullish fields). */
export interface EventWithPage {
  type: string;
  context?: { page?: { readonly [K in keyof WirePage]?: string | null } | null } | null;
  properties?: Readonly<Record<string, unknown>> | null;
}

/**
 * The event's page: each field from `context.page` when it is a string there, else (page events
 * only) from the string-valued page property of the same name. Undefined when the event says
 * nothing about a page.
 */
export function pageOf(event: EventWithPage): WirePage | undefined {
  const context = event.context?.page ?? undefined;
  const properties = event.type === 'page' ? (event.properties ?? undefined) : undefined;
  if (context === undefined && properties === undefined) return undefined;
  const page: WirePage = {};
  let any = false;
  for (const field of FIELDS) {
    const own = context?.[field];
    const value = typeof own === 'string' ? own : properties?.[field];
    if (typeof value === 'string') {
      // RudderStack's browser SDK writes "$direct" for no referrer.
      page[field] = field === 'referrer' && value === NO_REFERRER ? '' : value;
      any = true;
    }
  }
  return any || context !== undefined ? page : undefined;
}
