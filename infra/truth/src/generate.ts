/**
 * The ground-truth journey set: people of an outdoor shop with multi-session paths over all seven
 * channels, as calls of `@segment/analytics-node`, together with the model of what they did.
 * Deterministic for a seed. What it contains, besides plain browsing:
 * - people who never convert, people who sign up without buying, guest checkouts;
 * - sessions split by inactivity (> 40 min) and by a new campaign or external referrer within a
 *   few minutes; re-landing from the same link inside a session (no new session); touch-less
 *   calls that keep a session alive; sessions that start with a touch-less call;
 * - a second device that identifies later as the same user (sometimes the earlier one);
 * - userId-only server-side calls (`Order Completed` with revenue, `signed_up`, identify);
 * - repeat purchases and returns on later days, and a same-day return (which is no retention);
 * - journeys longer than the 30-day funnel window and attribution lookback;
 * - anonymous Node-only devices without any touch.
 * Every event is whole seconds + 100 ms, between 07:00 and 21:00 UTC, in the range's inner days.
 */

import { Random } from '@waymark/kit/random';
import { LANDINGS, LANDINGS_BY_CHANNEL, type Landing } from './landings.js';
import type { Channel, JourneyPerson, JourneySet } from './model.js';
import { Device, type Messages, plainSessions } from './recorder.js';

export const TRUTH_RANGE = { from: '2026-10-15', to: '2026-11-30' } as const;

export interface GenerateOptions {
  seed?: number;
  people?: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const MIX: Record<Channel, number> = {
  direct: 16,
  organic: 22,
  paid: 18,
  social: 14,
  email: 12,
  referral: 10,
  display: 8,
};

const AGENTS = {
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  mobile:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
} as const;

const PAGES = [
  ['/products/trail-tent', 'Trail Tent'],
  ['/products/down-jacket', 'Down Jacket'],
  ['/products/hiking-boots', 'Hiking Boots'],
  ['/collections/winter', 'Winter collection'],
  ['/guides/layering', 'How to layer'],
  ['/search?q=stove', 'Search'],
] as const;

/** Segment spec names, written the ways Segment users write them. */
const NAMES = {
  productViewed: [
    'Product Viewed',
    'Product Viewed',
    'Product Viewed',
    'product_viewed',
    'product-viewed',
    'Product viewed',
  ],
  signedUp: ['Signed Up', 'Signed Up', 'signed_up', 'signed-up'],
  orderCompleted: [
    'Order Completed',
    'Order Completed',
    'Order Completed',
    'order_completed',
    'order-completed',
    'ORDER COMPLETED',
  ],
  other: [
    'Products Searched',
    'Product List Viewed',
    'Cart Viewed',
    'Coupon Applied',
    'product_added_to_wishlist',
  ],
} as const;

/** One person's script: their devices and the clock of the visit being written. */
class Person {
  readonly devices: Device[] = [];
  userId: string | undefined;
  private server: Device | undefined;

  constructor(
    readonly index: number,
    private readonly messages: Messages,
    private readonly random: Random,
  ) {}

  device(kind: 'browser' | 'server', agent: keyof typeof AGENTS = 'desktop'): Device {
    const d = new Device(
      this.messages,
      kind,
      `anon-${this.index}-${this.devices.length + 1}`,
      kind === 'browser' ? AGENTS[agent] : undefined,
    );
    this.devices.push(d);
    return d;
  }

  /** The device of this person's userId-only server calls. */
  serverSide(): Device {
    if (!this.userId) throw new Error('server-side calls need a user id');
    if (!this.server) {
      this.server = new Device(this.messages, 'user', this.userId);
      this.devices.push(this.server);
    }
    return this.server;
  }

  model(): JourneyPerson {
    const id = this.userId ?? this.devices[0]!.id;
    return { id, sessions: plainSessions(this.devices.filter((d) => d.sessions.length > 0)) };
  }

  // ---- building blocks of a visit; each returns the time of its last event ----

  /** `at` plus a pause inside a session (whole seconds, well under the timeout). */
  pause(at: number, min = 15, max = 360): number {
    return at + this.random.int(min, max) * SECOND;
  }

  /** Lands, then clicks through `pages` - 1 more pages; maybe views a product. */
  browse(d: Device, at: number, landing: Landing, pages: number, productView: boolean): number {
    d.land(at, landing);
    let t = at;
    for (let i = 1; i < pages; i++) {
      t = this.pause(t);
      const [path, title] = this.random.pick(PAGES);
      d.view(t, path, title);
      if (this.random.chance(0.25)) {
        t = this.pause(t, 5, 90);
        d.track(t, this.random.pick(NAMES.other), { query: 'stove' });
      }
    }
    if (productView) {
      t = this.pause(t);
      const [path, title] = this.random.pick(PAGES.slice(0, 3));
      if (pages > 1 || this.random.chance(0.5)) d.view(t, path, title);
      t = this.pause(t, 3, 60);
      d.track(t, this.random.pick(NAMES.productViewed), {
        product_id: path.split('/')[2],
        name: title,
        price: 129,
      });
    }
    return t;
  }

  /** Add to cart, checkout, maybe sign in, and the order: in the browser or server-side. */
  buy(d: Device, at: number, options: { identify: boolean; serverSide: boolean }): number {
    let t = this.pause(at);
    d.view(t, '/cart', 'Cart');
    t = this.pause(t, 3, 40);
    d.track(t, 'Product Added', { product_id: 'trail-tent', price: 129, quantity: 1 });
    t = this.pause(t);
    d.view(t, '/checkout', 'Checkout');
    t = this.pause(t, 2, 30);
    d.track(t, 'Checkout Started', { value: 129, currency: 'USD' });
    if (options.identify && !this.userId) t = this.signUp(d, t, true);
    else if (options.identify && d.userId === undefined) {
      t = this.pause(t, 10, 60);
      d.identify(t, this.userId!, { login: true });
    }
    const order = this.orderProperties();
    const name = this.random.pick(NAMES.orderCompleted);
    t = this.pause(t, 20, 180);
    if (options.serverSide && this.userId) {
      // The backend confirms the payment: userId only, no anonymousId, no page.
      this.serverSide().track(t, name, order);
    } else {
      d.view(t, '/checkout/complete', 'Thank you');
      t = this.pause(t, 1, 5);
      d.track(t, name, order);
    }
    return t;
  }

  /** Identify (and a `Signed Up` track, in the browser or server-side). */
  signUp(d: Device, at: number, checkout = false): number {
    this.userId ??= `user-${this.index}`;
    let t = this.pause(at, 10, 120);
    d.identify(t, this.userId, { email: `${this.userId}@example.com`, plan: 'free' });
    const name = this.random.pick(NAMES.signedUp);
    t = this.pause(t, 1, 5);
    if (!checkout && this.random.chance(0.4)) {
      const server = this.serverSide();
      server.identify(t, this.userId, { email: `${this.userId}@example.com` });
      t = this.pause(t, 1, 3);
      server.track(t, name, { method: 'email' });
    } else d.track(t, name, { method: checkout ? 'checkout' : 'email' });
    return t;
  }

  private orderProperties(): Record<string, unknown> {
    const cents = this.random.int(1500, 42000);
    const amount = cents / 100;
    const orderId = `order-${this.index}-${this.messages.count}`;
    // Most stores send revenue; some only total (Segment's spec allows either).
    return this.random.chance(0.85)
      ? { order_id: orderId, revenue: amount, currency: 'USD', products: [{ sku: 'TT-2' }] }
      : { order_id: orderId, total: amount, currency: 'USD' };
  }

  channel(): Channel {
    return this.random.weighted(MIX);
  }

  landing(channel: Channel): Landing {
    return this.random.pick(LANDINGS_BY_CHANNEL[channel]);
  }

  /** A non-direct landing other than `not`. */
  otherLanding(not: Landing): Landing {
    const choices = LANDINGS.filter((l) => l.channel !== 'direct' && l.id !== not.id);
    return this.random.pick(choices);
  }

  /** A returning visitor's channel: often direct or email. */
  returnChannel(): Channel {
    return this.random.chance(0.35) ? 'direct' : this.random.chance(0.3) ? 'email' : this.channel();
  }
}

/** 07:00–14:59 UTC on `day` (epoch ms of its midnight), whole seconds + 100 ms. */
function morning(random: Random, day: number): number {
  return day + 7 * HOUR + random.int(0, 8 * 3600 - 1) * SECOND + 100;
}

/** A later visit of the same device: the same day if it fits, else one to `maxDays` days on. */
function later(random: Random, last: number, maxDays = 4, sameDay = 0.3): number {
  const day = Math.floor(last / DAY) * DAY;
  const sameDayStart = last + random.int(45, 150) * MINUTE;
  if (random.chance(sameDay) && sameDayStart < day + 17 * HOUR) return sameDayStart;
  return morning(random, day + random.int(1, maxDays) * DAY);
}

/** An ordinary shopper: browse, maybe engage, maybe buy, maybe come back. */
function shopper(p: Person, random: Random, firstDay: number): void {
  const d = p.device(
    random.chance(0.75) ? 'browser' : 'server',
    random.chance(0.3) ? 'mobile' : 'desktop',
  );
  const start = morning(random, firstDay);
  let landing = p.landing(p.channel());
  let t = start;

  // A session that starts without a touch: a Node call with the anonymousId and no page.
  if (random.chance(0.03)) {
    d.track(t, 'Cart Viewed', { items: 0 }, true);
    t = p.pause(t, 40, 180);
  }
  const engaged = random.chance(0.55);
  t = p.browse(
    d,
    t,
    landing,
    random.chance(0.5) ? 1 : random.int(2, 4),
    engaged && random.chance(0.7),
  );

  // Inside the first visit: one of the session-boundary cases.
  const edge = random.next();
  if (edge < 0.08) {
    // A new campaign or an external referrer a few minutes later: a new session.
    landing = p.otherLanding(landing);
    t = p.browse(d, t + random.int(3, 20) * MINUTE, landing, random.int(1, 2), false);
  } else if (edge < 0.13) {
    // The same link again: the same session, one more page view.
    t = p.browse(d, t + random.int(2, 15) * MINUTE, landing, 1, false);
  } else if (edge < 0.18) {
    // Touch-less calls 15–24 minutes apart keep the session alive past 30 minutes.
    t += random.int(15, 24) * MINUTE;
    d.track(t, 'Wishlist Reminder Scheduled', { items: 1 }, true);
    t += random.int(15, 24) * MINUTE;
    d.view(t, '/collections/winter', 'Winter collection');
  }

  const buyer = (engaged || random.chance(0.1)) && random.chance(0.5);
  if (!buyer) {
    if (random.chance(0.08)) t = p.signUp(d, t);
    const returns = random.chance(0.5) ? random.int(1, 2) : 0;
    for (let i = 0; i < returns; i++) {
      t = later(random, t);
      t = p.browse(d, t, p.landing(p.returnChannel()), random.int(1, 3), random.chance(0.3));
    }
    return;
  }

  // The purchase: in the first visit, or in a later one from another channel.
  if (random.chance(0.6)) {
    t = later(random, t);
    t = p.browse(d, t, p.landing(p.returnChannel()), random.int(1, 2), random.chance(0.6));
  }
  const identify = d.kind === 'server' ? true : random.chance(0.7);
  t = p.buy(d, t, { identify, serverSide: identify && random.chance(0.4) });

  // Back the same day, an hour or two later: not a return for retention.
  if (random.chance(0.1)) {
    t = p.browse(d, t + random.int(60, 120) * MINUTE, p.landing('direct'), 1, false);
  }
  // Back on a later day, sometimes buying again.
  if (random.chance(0.45)) {
    t = morning(random, (Math.floor(t / DAY) + random.int(1, 5)) * DAY);
    t = p.browse(d, t, p.landing(p.returnChannel()), random.int(1, 3), random.chance(0.5));
    if (random.chance(0.4))
      t = p.buy(d, t, { identify: p.userId !== undefined, serverSide: random.chance(0.5) });
  }

  // A second device (a phone) that signs in as the same user.
  if (p.userId && random.chance(0.25)) {
    const phone = p.device('browser', 'mobile');
    const userId = p.userId;
    // Sometimes the phone came first, anonymously, a day or two before the first visit.
    let u = random.chance(0.3)
      ? morning(random, firstDay - random.int(1, 2) * DAY)
      : morning(random, (Math.floor(t / DAY) + random.int(1, 3)) * DAY);
    if (u < start) {
      u = p.browse(
        phone,
        u,
        p.landing(random.pick(['social', 'display', 'paid'] as const)),
        random.int(1, 2),
        false,
      );
      u = morning(random, (Math.floor(t / DAY) + random.int(1, 3)) * DAY);
    }
    u = p.browse(
      phone,
      u,
      p.landing(random.pick(['email', 'social', 'direct'] as const)),
      random.int(1, 3),
      random.chance(0.3),
    );
    u = p.pause(u, 10, 60);
    phone.identify(u, userId, { login: true });
    if (random.chance(0.3)) p.buy(phone, u, { identify: true, serverSide: random.chance(0.5) });
  }
}

/** A visit in October and a purchase more than 30 days later: outside window and lookback. */
function longJourney(p: Person, random: Random, octoberDay: number): void {
  const d = p.device('browser');
  let t = p.browse(d, morning(random, octoberDay), p.landing(p.channel()), 2, true);
  t = p.signUp(d, t);
  // Mid-November, from a newsletter; then the purchase in the last week.
  t = morning(random, Date.UTC(2026, 10, random.int(5, 10)));
  t = p.browse(d, t, p.landing('email'), random.int(1, 2), false);
  t = morning(random, Date.UTC(2026, 10, random.int(22, 26)));
  t = p.browse(d, t, p.landing(p.returnChannel()), 1, true);
  p.buy(d, t, { identify: true, serverSide: random.chance(0.5) });
}

/** Signed up in October, bought in late November server-side only: a conversion without a touch. */
function lapsed(p: Person, random: Random, octoberDay: number): void {
  const d = p.device(random.chance(0.5) ? 'browser' : 'server');
  const t = p.browse(d, morning(random, octoberDay), p.landing(p.channel()), 1, false);
  p.signUp(d, t);
  const order = morning(random, Date.UTC(2026, 10, random.int(23, 26)));
  const revenue = random.int(2000, 9000) / 100;
  p.serverSide().track(order, random.pick(NAMES.orderCompleted), {
    order_id: `late-${p.index}`,
    revenue,
  });
}

/** A Node-only integration: anonymous tracks, no page ever, sometimes a guest order. */
function apiOnly(p: Person, random: Random, firstDay: number): void {
  const d = p.device('server');
  let t = morning(random, firstDay);
  d.track(t, 'Products Searched', { query: 'tent' });
  t = p.pause(t, 20, 300);
  d.track(t, random.pick(NAMES.productViewed), { product_id: 'trail-tent' });
  if (random.chance(0.4)) {
    t = p.pause(t, 60, 600);
    d.track(t, random.pick(NAMES.orderCompleted), { order_id: `api-${p.index}`, revenue: 59.9 });
  }
}

export function generateJourneys(options: GenerateOptions = {}): JourneySet {
  const seed = options.seed ?? 14;
  const count = options.people ?? 2400;
  const random = new Random(seed);
  const messages: Messages = { prefix: `truth-${seed}`, count: 0, calls: [] };
  const people: JourneyPerson[] = [];
  for (let i = 0; i < count; i++) {
    const person = new Person(i, messages, random);
    const kind = random.next();
    const october = Date.UTC(2026, 9, random.int(18, 21));
    if (kind < 0.03) longJourney(person, random, october);
    else if (kind < 0.04) lapsed(person, random, october);
    else if (kind < 0.05) apiOnly(person, random, Date.UTC(2026, 10, random.int(1, 20)));
    else shopper(person, random, Date.UTC(2026, 10, random.int(1, 12)));
    people.push(person.model());
  }
  const calls = [...messages.calls].sort(
    (a, b) => Date.parse(a.params.timestamp) - Date.parse(b.params.timestamp),
  );
  return { seed, range: TRUTH_RANGE, people, calls };
}
