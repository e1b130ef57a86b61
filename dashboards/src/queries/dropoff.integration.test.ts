/**
 * Drop-off against ground truth: six people with several events each, and, worked out by hand,
 * each person's last event before leaving (or before reaching the next stage). Guards the join
 * that gives every event row of a person their outcome: `ANY INNER JOIN` there keeps one row
 * per person on current ClickHouse, so the "last" event was an arbitrary one (the first stored).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { EventRow } from '@waymark/contract/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, insertRows } from '../test/database.js';
import { identityRow, session } from '../test/events.js';
import type { DropoffEntry, DropoffGroup, DropoffStage } from './dropoff.js';
import { createQueries, type Queries } from './index.js';
import { dropoffParams } from './params.js';
import { DEFAULT_STAGE_RULES } from './stages.js';

const page = (timestamp: string, page_path: string) => ({ timestamp, type: 'page', page_path });
const track = (timestamp: string, event: string) => ({ timestamp, type: 'track', event });
const touch = (channel: string) => ({ first_channel: channel, session_channel: channel });

/**
 * Default stage rules: awareness is any page/track; engagement a product view / sign-up or the
 * second page view of a session; transaction an order; retention an event a day after it.
 * `faq_opened` and `tooltip_shown` are in no rule, so they are awareness only.
 */
function events(): EventRow[] {
  const rows = [
    // ann (paid): one page per session, then an FAQ → stops at awareness after faq_opened.
    ...session({ anonymous_id: 'ann', session_id: 'ann1', ...touch('paid') }, [
      page('2026-11-03 10:00:00', '/home'),
    ]),
    ...session({ anonymous_id: 'ann', session_id: 'ann2', ...touch('paid') }, [
      page('2026-11-04 09:00:00', '/about'),
      track('2026-11-04 09:05:00', 'faq_opened'),
    ]),
    // ben (email): two single-page sessions → stops at awareness on /pricing, which came
    // 100 ms after a tooltip in the same second (millisecond timestamps keep that order).
    ...session({ anonymous_id: 'ben', session_id: 'ben1', ...touch('email') }, [
      page('2026-11-03 10:00:00', '/landing'),
    ]),
    ...session({ anonymous_id: 'ben', session_id: 'ben2', ...touch('email') }, [
      track('2026-11-05 11:00:00.100', 'tooltip_shown'),
      page('2026-11-05 11:00:00.200', '/pricing'),
    ]),
    // cat (organic): engages at her second page view (10:02), after faq_opened (10:01);
    // then views a product and leaves → stops at engagement after product_viewed.
    ...session({ anonymous_id: 'cat', session_id: 'cat1', ...touch('organic') }, [
      page('2026-11-06 10:00:00', '/'),
      track('2026-11-06 10:01:00', 'faq_opened'),
      page('2026-11-06 10:02:00', '/features'),
      track('2026-11-06 10:05:00', 'product_viewed'),
    ]),
    // dan (paid): engages at 09:03 (second page), buys at 09:10 after /cart, never returns.
    ...session({ anonymous_id: 'dan', session_id: 'dan1', ...touch('paid') }, [
      page('2026-11-07 09:00:00', '/blog'),
      page('2026-11-07 09:03:00', '/blog/post'),
      track('2026-11-07 09:04:00', 'product_viewed'),
      page('2026-11-07 09:06:00', '/cart'),
      { ...track('2026-11-07 09:10:00', 'order_completed'), revenue: 20 },
    ]),
    // eve (social): signs up 12:05, buys 12:30, returns two days later (08:00).
    ...session({ anonymous_id: 'eve', session_id: 'eve1', ...touch('social') }, [
      page('2026-11-04 12:00:00', '/deals'),
      track('2026-11-04 12:05:00', 'signed_up'),
      { ...track('2026-11-04 12:30:00', 'order_completed'), revenue: 35 },
    ]),
    ...session({ anonymous_id: 'eve', session_id: 'eve2', ...touch('social') }, [
      page('2026-11-06 08:00:00', '/account'),
      page('2026-11-06 08:01:00', '/orders'),
    ]),
    // fay (referral, then direct on a second device; both identify as u-fay): one page on
    // each device, then an FAQ on the second → stops at awareness after faq_opened.
    ...session({ anonymous_id: 'fay1', session_id: 'fay1', ...touch('referral') }, [
      page('2026-11-08 10:00:00', '/x'),
    ]),
    ...session({ anonymous_id: 'fay2', session_id: 'fay2', ...touch('direct') }, [
      page('2026-11-10 10:00:00', '/y'),
      track('2026-11-10 10:02:00', 'faq_opened'),
    ]),
  ];
  // A replayed copy of ann's last event must not count twice.
  const annLast = rows.find((r) => r.anonymous_id === 'ann' && r.event === 'faq_opened');
  if (annLast) rows.push({ ...annLast });
  return rows;
}

const identities = () => [
  identityRow({ anonymous_id: 'fay1', user_id: 'u-fay', timestamp: '2026-11-08 10:01:00' }),
  identityRow({ anonymous_id: 'fay2', user_id: 'u-fay', timestamp: '2026-11-10 10:01:00' }),
];

type Outcome = 'stopped' | 'continued';
type Last = [Outcome, kind: string, name: string];

/** By hand from the events above: per stage, each person who reached it and their last event. */
const CHANNEL: Record<string, string> = {
  ann: 'paid',
  ben: 'email',
  cat: 'organic',
  dan: 'paid',
  eve: 'social',
  fay: 'referral',
};
const TRUTH: Record<DropoffStage, Record<string, Last>> = {
  awareness: {
    ann: ['stopped', 'track', 'faq_opened'],
    ben: ['stopped', 'page', '/pricing'],
    fay: ['stopped', 'track', 'faq_opened'],
    cat: ['continued', 'track', 'faq_opened'],
    dan: ['continued', 'page', '/blog'],
    eve: ['continued', 'page', '/deals'],
  },
  engagement: {
    cat: ['stopped', 'track', 'product_viewed'],
    dan: ['continued', 'page', '/cart'],
    eve: ['continued', 'track', 'signed_up'],
  },
  transaction: {
    dan: ['stopped', 'track', 'order_completed'],
    eve: ['continued', 'track', 'order_completed'],
  },
};

/** What the API must answer for a group of people, from the truth table. */
function expectedGroup(channel: string, lasts: Last[]): DropoffGroup {
  const side = (outcome: Outcome) => {
    const mine = lasts.filter(([o]) => o === outcome);
    const counts = new Map<string, DropoffEntry>();
    for (const [, kind, name] of mine) {
      const key = `${kind} ${name}`;
      const entry = counts.get(key) ?? { kind, name, people: 0, share: 0 };
      entry.people += 1;
      counts.set(key, entry);
    }
    const top = [...counts.values()]
      .map((e) => ({ ...e, share: e.people / mine.length }))
      .sort(
        (a, b) =>
          b.people - a.people ||
          a.kind.localeCompare(b.kind) ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      );
    return { people: mine.length, top };
  };
  return { channel, stopped: side('stopped'), continued: side('continued') };
}

let client: ClickHouseClient;
let queries: Queries;
const ctx = { projectId: 'p1', rules: DEFAULT_STAGE_RULES, sessionTimeoutMs: 30 * 60_000 };
const november = { from: '2026-11-01', to: '2026-11-30' };

beforeAll(async () => {
  let database: string;
  ({ client, database } = await freshDatabase('dash_dropoff'));
  await insertRows(client, database, events(), identities());
  queries = createQueries(client, database);
});

afterAll(async () => {
  await client?.close();
});

describe('drop-off against ground truth', () => {
  it.each(Object.keys(TRUTH) as DropoffStage[])(
    'gives each person’s last event before leaving %s, overall and per channel',
    async (stage) => {
      const result = await queries.dropoff(ctx, dropoffParams.parse({ ...november, stage }));
      const truth = Object.entries(TRUTH[stage]);
      expect(result.total).toEqual(
        expectedGroup(
          '',
          truth.map(([, last]) => last),
        ),
      );
      const channels = [...new Set(truth.map(([person]) => CHANNEL[person] ?? '?'))];
      const expected = channels.map((channel) =>
        expectedGroup(
          channel,
          truth.filter(([person]) => CHANNEL[person] === channel).map(([, last]) => last),
        ),
      );
      const byChannel = (groups: DropoffGroup[]) =>
        [...groups].sort((a, b) => a.channel.localeCompare(b.channel));
      expect(byChannel(result.channels)).toEqual(byChannel(expected));
    },
  );

  it('spells the awareness answer out', async () => {
    // The same truth, written out once in full so a slip in expectedGroup cannot hide one.
    const result = await queries.dropoff(
      ctx,
      dropoffParams.parse({ ...november, stage: 'awareness' }),
    );
    expect(result.total.stopped).toEqual({
      people: 3,
      top: [
        { kind: 'track', name: 'faq_opened', people: 2, share: 2 / 3 },
        { kind: 'page', name: '/pricing', people: 1, share: 1 / 3 },
      ],
    });
    expect(result.total.continued).toEqual({
      people: 3,
      top: [
        { kind: 'page', name: '/blog', people: 1, share: 1 / 3 },
        { kind: 'page', name: '/deals', people: 1, share: 1 / 3 },
        { kind: 'track', name: 'faq_opened', people: 1, share: 1 / 3 },
      ],
    });
  });
});
