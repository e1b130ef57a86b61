/**
 * Writes a device's journey twice at once: as the Segment calls that express it and as the
 * model the truth reads (sessions with their channel, events). Placing an event in a session
 * follows the semantics' session rule, with landing ids standing in for attribution keys (two
 * landings have equal keys exactly when they are the same landing: landings.test.ts), and refuses
 * a gap the clock-skew correction could tip across the 30-minute timeout.
 */
import { campaignOf, type Landing, SITE } from './landings.js';
import type { Channel, JourneyEvent, JourneySession, SegmentCall } from './model.js';

const MINUTE = 60_000;
/** Gaps inside a session stay below this … */
export const MAX_GAP_IN_SESSION_MS = 25 * MINUTE;
/** … and gaps between sessions above this, so a few ms of skew correction never matter. */
export const MIN_GAP_BETWEEN_SESSIONS_MS = 40 * MINUTE;
const TIMEOUT_MS = 30 * MINUTE;

export interface Messages {
  prefix: string;
  count: number;
  calls: SegmentCall[];
}

interface CurrentPage {
  url: string;
  path: string;
  title: string;
  referrer: string;
  /** The landing it is, when it is one (its touch, its campaign). */
  landing?: Landing;
}

interface OpenSession extends JourneySession {
  /** Landing id of the session's last non-direct touch ('' if none): its attribution key. */
  key: string;
}

/**
 * One device. `browser` devices call like analytics.js does (context.page and context.campaign on
 * every call, a user agent, the userId on every call once identified); `server` devices call like
 * Node users often do (page fields in properties only, tracks and identifies without context).
 * A `user` device is the key space of userId-only server calls.
 */
export class Device {
  readonly sessions: JourneySession[] = [];
  userId: string | undefined;
  private current: OpenSession | undefined;
  private lastAt = Number.NEGATIVE_INFINITY;
  private page: CurrentPage | undefined;

  constructor(
    private readonly messages: Messages,
    readonly kind: 'browser' | 'server' | 'user',
    /** The anonymousId, or for a `user` device the userId. */
    readonly id: string,
    private readonly userAgent?: string,
  ) {
    if (kind === 'user') this.userId = id;
  }

  /** The device key of the semantics: the anonymousId, else the userId (its own key space). */
  get key(): string {
    return this.kind === 'user' ? `user:${this.id}` : this.id;
  }

  get last(): number {
    return this.lastAt;
  }

  /** A page view of a landing: a touch with the landing's channel and key. */
  land(at: number, landing: Landing, title = 'Trailhead Outfitters'): void {
    const url = new URL(landing.url);
    this.page = {
      url: landing.url,
      path: url.pathname,
      title,
      referrer: landing.referrer,
      landing,
    };
    this.emitPage(at, landing.channel === 'direct' ? '' : landing.id, landing.channel);
  }

  /** A page view reached by a link on the site: internal referrer, a direct touch with key ''. */
  view(at: number, path: string, title: string): void {
    const referrer = this.page?.url ?? '';
    this.page = { url: `${SITE}${path}`, path, title, referrer };
    this.emitPage(at, '', 'direct');
  }

  /**
   * A track. On a browser device it carries the current page (a touch with that page's key);
   * elsewhere, or with `serverSide`, no context: no touch.
   */
  track(at: number, event: string, properties: Record<string, unknown>, serverSide = false): void {
    const withPage = this.kind === 'browser' && !serverSide && this.page !== undefined;
    const params = {
      ...this.identity(),
      event,
      properties,
      ...(withPage ? { context: this.browserContext() } : {}),
    };
    this.record(at, { type: 'track', event, properties }, withPage ? this.pageTouch() : null, {
      method: 'track',
      params: { ...params, messageId: '', timestamp: '' },
    });
  }

  /** An identify carrying the anonymousId (browser: with the page) — it links this device. */
  identify(at: number, userId: string, traits: Record<string, unknown>): void {
    this.userId = userId;
    const withPage = this.kind === 'browser' && this.page !== undefined;
    const params = {
      ...this.identity(),
      traits,
      ...(withPage ? { context: this.browserContext() } : {}),
    };
    this.record(at, { type: 'identify' }, withPage ? this.pageTouch() : null, {
      method: 'identify',
      params: { ...params, messageId: '', timestamp: '' },
    });
  }

  private identity(): { anonymousId: string; userId?: string } | { userId: string } {
    if (this.kind === 'user') return { userId: this.id };
    return { anonymousId: this.id, ...(this.userId ? { userId: this.userId } : {}) };
  }

  private pageTouch(): { key: string; channel: Channel } {
    const landing = this.page?.landing;
    return landing && landing.channel !== 'direct'
      ? { key: landing.id, channel: landing.channel }
      : { key: '', channel: 'direct' };
  }

  private browserContext() {
    const page = this.page!;
    const campaign = page.landing ? campaignOf(page.landing) : undefined;
    const search = page.url.includes('?') ? `?${page.url.split('?')[1]}` : '';
    return {
      page: { url: page.url, path: page.path, referrer: page.referrer, title: page.title, search },
      ...(campaign ? { campaign } : {}),
      ...(this.userAgent ? { userAgent: this.userAgent } : {}),
    };
  }

  private emitPage(at: number, key: string, channel: Channel): void {
    if (this.kind === 'user') throw new Error('a userId-only device views no pages');
    const page = this.page!;
    const name = page.title;
    const fields = { url: page.url, path: page.path, referrer: page.referrer, title: page.title };
    // Node users put the page in properties; analytics.js sends both and the campaign.
    const context =
      this.kind === 'browser'
        ? this.browserContext()
        : page.landing?.campaign
          ? { campaign: page.landing.campaign }
          : undefined;
    const params = {
      ...this.identity(),
      name,
      properties: fields,
      ...(context ? { context } : {}),
    };
    this.record(
      at,
      { type: 'page' },
      { key, channel },
      {
        method: 'page',
        params: { ...params, messageId: '', timestamp: '' },
      },
    );
  }

  private record(
    at: number,
    event: Omit<JourneyEvent, 'messageId' | 'at'>,
    touch: { key: string; channel: Channel } | null,
    call: SegmentCall,
  ): void {
    const gap = at - this.lastAt;
    if (!(gap > 0)) throw new Error(`${this.key}: events must move forward in time`);
    if (gap >= MAX_GAP_IN_SESSION_MS && gap <= MIN_GAP_BETWEEN_SESSIONS_MS) {
      throw new Error(`${this.key}: a gap of ${gap / MINUTE} min is too close to the timeout`);
    }
    const opens =
      this.current === undefined ||
      gap > TIMEOUT_MS ||
      (touch !== null && touch.key !== '' && touch.key !== this.current.key);
    if (opens) {
      this.current = { device: this.key, channel: null, events: [], key: '' };
      this.sessions.push(this.current);
    }
    const session = this.current!;
    if (touch !== null) {
      if (touch.key !== '') session.key = touch.key;
      session.channel ??= touch.channel;
    }
    this.messages.count += 1;
    const messageId = `${this.messages.prefix}-${this.messages.count.toString(36).padStart(5, '0')}`;
    session.events.push({ messageId, at, ...event });
    call.params.messageId = messageId;
    call.params.timestamp = new Date(at).toISOString();
    this.messages.calls.push(call);
    this.lastAt = at;
  }
}

/** The model's sessions without the generator's bookkeeping. */
export function plainSessions(devices: readonly Device[]): JourneySession[] {
  return devices.flatMap((d) =>
    d.sessions.map(({ device, channel, events }) => ({ device, channel, events })),
  );
}
