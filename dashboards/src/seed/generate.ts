/**
 * Demo journeys: N people over D days with a channel mix and stage conversion rates, as Segment
 * wire events (what the SDK would send) plus the ground truth they imply under the default stage
 * rules. Deterministic for a seed.
 *
 * Each person lands from their acquisition channel (page /), may engage (a second page view or
 * a product view), may buy in a later session (that session's own channel), may come back on a
 * later day (sometimes buying again, sometimes on a second device that identifies as the same
 * user). A few bots crawl and even "buy"; they must not count.
 */
import { classifyChannel } from '@waymark/contract/channel';
import { CHANNELS, type Channel, type WireEvent, type WireTouch } from '@waymark/contract/wire';
import { Random } from '@waymark/kit/random';
import { z } from 'zod';
import { type GroundTruth, groundTruth, type PersonJourney } from './truth.js';

export const seedOptionsSchema = z.object({
  people: z.coerce.number().int().min(1).max(1_000_000).default(500),
  days: z.coerce.number().int().min(10).max(365).default(30),
  /** Last day of the journeys (UTC, inclusive); today by default. */
  end: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(1),
  /** Relative weights of the acquisition channels. */
  mix: z
    .partialRecord(z.enum(CHANNELS), z.number().min(0))
    .refine(
      (mix) => Object.values(mix).some((w) => (w ?? 0) > 0),
      'at least one channel with a weight above 0',
    )
    .default({ direct: 20, organic: 25, paid: 20, social: 12, email: 10, referral: 8, display: 5 }),
  /** Share of the people of each stage who reach the next one. */
  rates: z
    .object({
      engagement: z.number().min(0).max(1).default(0.55),
      transaction: z.number().min(0).max(1).default(0.35),
      retention: z.number().min(0).max(1).default(0.4),
    })
    .prefault({}),
  /** Share of buyers who identify (sign in) when they buy. */
  identify: z.number().min(0).max(1).default(0.6),
  bots: z.coerce.number().int().min(0).max(10_000).default(5),
});
export type SeedOptions = z.output<typeof seedOptionsSchema>;

const SITE = 'https://shop.example';
const CAMPAIGNS = ['spring_sale', 'brand', 'retarget'];
const LANDING_PAGES = ['/', '/', '/sale', '/blog/tent-guide', '/products/tent'];
const PRODUCTS = ['/products/boots', '/products/jacket', '/products/tent', '/products/stove'];
const USER_AGENTS = {
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  mobile:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  bot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
} as const;

/** A landing touch that the shared classifier files under the wanted channel. */
function touchFor(channel: Channel, random: Random): WireTouch {
  const campaign = random.pick(CAMPAIGNS);
  switch (channel) {
    case 'direct':
      return { url: `${SITE}/`, referrer: '' };
    case 'organic':
      return { url: `${SITE}/`, referrer: 'https://www.google.com/' };
    case 'paid':
      return {
        url: `${SITE}/?utm_source=google&utm_medium=cpc&utm_campaign=${campaign}`,
        referrer: 'https://www.google.com/',
      };
    case 'social':
      return { url: `${SITE}/`, referrer: 'https://www.facebook.com/' };
    case 'email':
      return {
        url: `${SITE}/?utm_source=newsletter&utm_medium=email&utm_campaign=${campaign}`,
        referrer: '',
      };
    case 'referral':
      return { url: `${SITE}/`, referrer: 'https://blog.outdoors.example/best-tents' };
    case 'display':
      return {
        url: `${SITE}/?utm_source=adnetwork&utm_medium=display&utm_campaign=${campaign}`,
        referrer: '',
      };
  }
}

interface Emitter {
  events: WireEvent[];
  random: Random;
  prefix: string;
  message: number;
}

interface SessionStart {
  at: number;
  anonymousId: string;
  sessionId: string;
  touch: WireTouch;
  first: WireTouch;
  agent: string;
}

/** A visit: events a few seconds to minutes apart, all carrying the session and first touch. */
function openSession(out: Emitter, s: SessionStart) {
  let clock = s.at;
  const emit = (partial: Partial<WireEvent> & Pick<WireEvent, 'type'>, path: string): WireEvent => {
    out.message += 1;
    const event: WireEvent = {
      messageId: `${out.prefix}-m${out.message}`,
      anonymousId: s.anonymousId,
      timestamp: new Date(clock).toISOString(),
      context: {
        userAgent: s.agent,
        page: {
          url: `${SITE}${path}`,
          path,
          referrer: clock === s.at ? s.touch.referrer : `${SITE}/`,
          title: path,
        },
        waymark: { sessionId: s.sessionId, sessionTouch: s.touch, firstTouch: s.first },
      },
      ...partial,
    };
    out.events.push(event);
    clock += out.random.int(10, 120) * 1000;
    return event;
  };
  return { emit };
}

export interface Demo {
  events: WireEvent[];
  truth: GroundTruth;
}

export function generateDemo(options: SeedOptions): Demo {
  const random = new Random(options.seed);
  const endDay = Date.parse(`${options.end ?? new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const firstDay = endDay - (options.days - 1) * 86_400_000;
  const journeys: PersonJourney[] = [];
  const prefix = `seed${options.seed}`;
  const out: Emitter = { events: [], random, prefix, message: 0 };

  for (let i = 0; i < options.people; i++) {
    const person = `${prefix}-p${i}`;
    const device = random.chance(0.35) ? 'mobile' : 'desktop';
    const acquisition = random.weighted(options.mix);
    const firstTouch = touchFor(acquisition, random);
    const journey: PersonJourney = {
      id: person,
      firstChannel: classifyChannel(firstTouch).channel,
      level: 1,
      sessions: [],
      conversions: [],
    };
    // Leave room after the landing day for the later stages to happen inside the range.
    const landing =
      firstDay +
      random.int(0, options.days - 8) * 86_400_000 +
      random.int(8 * 3600, 20 * 3600) * 1000;
    let sessionNo = 0;
    const session = (
      at: number,
      anonymousId: string,
      touch: WireTouch,
      first: WireTouch,
      agent: string,
    ) => {
      sessionNo += 1;
      journey.sessions.push({ at, channel: classifyChannel(touch).channel });
      return openSession(out, {
        at,
        anonymousId,
        sessionId: `${person}-s${sessionNo}`,
        touch,
        first,
        agent,
      });
    };

    const main = `${person}-a`;
    const s1 = session(landing, main, firstTouch, firstTouch, USER_AGENTS[device]);
    s1.emit({ type: 'page', name: 'Landing' }, random.pick(LANDING_PAGES));
    if (!random.chance(options.rates.engagement)) {
      journeys.push(journey);
      continue;
    }
    journey.level = 2;
    if (random.chance(0.5)) s1.emit({ type: 'page', name: 'Product' }, random.pick(PRODUCTS));
    else
      s1.emit(
        { type: 'track', event: 'product_viewed', properties: { sku: 'tent-2p' } },
        random.pick(PRODUCTS),
      );
    if (!random.chance(options.rates.transaction)) {
      journeys.push(journey);
      continue;
    }
    journey.level = 3;
    const buyAt = landing + random.int(1, 3) * 86_400_000 + random.int(0, 3600) * 1000;
    const buyChannel = random.weighted({ direct: 4, email: 2, paid: 2, organic: 1 } as Record<
      Channel,
      number
    >);
    const s2 = session(buyAt, main, touchFor(buyChannel, random), firstTouch, USER_AGENTS[device]);
    s2.emit({ type: 'page', name: 'Checkout' }, '/checkout');
    const identified = random.chance(options.identify);
    const userId = `${person}-user`;
    if (identified) s2.emit({ type: 'identify', userId, traits: { plan: 'member' } }, '/checkout');
    const revenue = random.int(1000, 25000) / 100;
    const order = s2.emit(
      {
        type: 'track',
        event: 'order_completed',
        properties: { revenue, currency: 'EUR', order_id: `${person}-o1` },
      },
      '/checkout',
    );
    journey.conversions.push({ at: Date.parse(order.timestamp ?? ''), revenue });
    if (!random.chance(options.rates.retention)) {
      journeys.push(journey);
      continue;
    }
    journey.level = 4;
    // Back on a later day (at least the day after buying), sometimes on a second device.
    const returnDay = Math.floor(buyAt / 86_400_000) * 86_400_000 + random.int(2, 4) * 86_400_000;
    const returnAt = returnDay + random.int(8 * 3600, 20 * 3600) * 1000;
    const secondDevice = identified && random.chance(0.4);
    const returnTouch = touchFor(random.weighted({ direct: 3, email: 2, social: 1 }), random);
    const s3 = session(
      returnAt,
      secondDevice ? `${person}-b` : main,
      returnTouch,
      secondDevice ? returnTouch : firstTouch,
      secondDevice ? USER_AGENTS.mobile : USER_AGENTS[device],
    );
    if (secondDevice) s3.emit({ type: 'identify', userId, traits: {} }, '/');
    s3.emit({ type: 'page', name: 'Home' }, '/');
    if (random.chance(0.5)) {
      const again = random.int(1000, 9000) / 100;
      const repeat = s3.emit(
        {
          type: 'track',
          event: 'order_completed',
          properties: { revenue: again, currency: 'EUR', order_id: `${person}-o2` },
        },
        '/checkout',
      );
      journey.conversions.push({ at: Date.parse(repeat.timestamp ?? ''), revenue: again });
    }
    journeys.push(journey);
  }

  for (let b = 0; b < options.bots; b++) {
    const direct = touchFor('direct', random);
    const crawler = openSession(out, {
      at: firstDay + random.int(0, options.days - 1) * 86_400_000 + 3600_000,
      anonymousId: `${prefix}-bot${b}`,
      sessionId: `${prefix}-bot${b}-s1`,
      touch: direct,
      first: direct,
      agent: USER_AGENTS.bot,
    });
    crawler.emit({ type: 'page', name: 'Home' }, '/');
    crawler.emit({ type: 'page', name: 'Product' }, '/products/tent');
    crawler.emit(
      { type: 'track', event: 'order_completed', properties: { revenue: 999 } },
      '/checkout',
    );
  }
  const from = new Date(firstDay).toISOString().slice(0, 10);
  const to = new Date(endDay).toISOString().slice(0, 10);
  return { events: out.events, truth: groundTruth(journeys, { from, to }) };
}
