/**
 * A small hand-built project whose answers are worked out by hand in the comments, for the
 * query-layer and API integration tests. Range: November 2026 (2026-11-02 is a Monday).
 *
 * people (first touch)   sessions (session channel: events)                         stage reached
 * alice  a1+a1b → u1     s1 paid 11-02: page / 10:00, page /pricing 10:01,           retention
 *        (paid)                  order 100 10:05 (stored twice: a Kafka replay)
 *                        s2 email 11-05 (device a1b, first touch email):
 *                                page / 09:00, order 30 09:10
 * bob    b1 (organic)    s3 organic 11-03: page / 12:00, product_viewed 12:02         transaction
 *                        s4 direct 11-04: page /cart 08:00, order 50 08:10
 * carol  c1 (paid,       s5 paid 11-06: page / 14:00, signed_up 14:03 (mobile)        engagement
 *        campaign spring)
 * dave   d1 (email)      s6 email 11-07: page /blog 09:00 (stored twice, 1 s apart)   awareness
 *                        s12 email 11-16: page /blog2 09:00
 * eve    e1 (social)     s7 social 11-08: page / 20:00                                awareness
 * gina   g1 (display)    s8 display 11-10 /ads 10:00; s9 direct 11-11 / 10:00;      transaction
 *                        s10 referral 11-12 /guide 10:00 + content_viewed 10:01;
 *                        s11 direct 11-13 /checkout 10:00 + order 80 10:05
 * Not counted: a bot (x1) with two pages and an order, project p2, and events outside the range.
 */
import type { EventRow, IdentityRow } from '@waymark/contract/schema';
import { eventRow, identityRow, session } from './events.js';

const order = (timestamp: string, revenue: number) => ({
  timestamp,
  type: 'track',
  event: 'order_completed',
  revenue,
});
const page = (timestamp: string, page_path: string) => ({ timestamp, type: 'page', page_path });
const track = (timestamp: string, event: string) => ({ timestamp, type: 'track', event });

export function journeyEvents(): EventRow[] {
  const alicePaid = { first_channel: 'paid', session_channel: 'paid', first_campaign: 'spring' };
  const rows: EventRow[] = [
    ...session({ anonymous_id: 'a1', session_id: 's1', session_campaign: 'spring', ...alicePaid }, [
      page('2026-11-02 10:00:00', '/'),
      page('2026-11-02 10:01:00', '/pricing'),
    ]),
    ...session(
      { anonymous_id: 'a1b', session_id: 's2', first_channel: 'email', session_channel: 'email' },
      [page('2026-11-05 09:00:00', '/'), order('2026-11-05 09:10:00', 30)],
    ),
    ...session(
      {
        anonymous_id: 'b1',
        session_id: 's3',
        first_channel: 'organic',
        session_channel: 'organic',
      },
      [page('2026-11-03 12:00:00', '/'), track('2026-11-03 12:02:00', 'product_viewed')],
    ),
    ...session(
      { anonymous_id: 'b1', session_id: 's4', first_channel: 'organic', session_channel: 'direct' },
      [page('2026-11-04 08:00:00', '/cart'), order('2026-11-04 08:10:00', 50)],
    ),
    ...session(
      {
        anonymous_id: 'c1',
        session_id: 's5',
        first_channel: 'paid',
        session_channel: 'paid',
        first_campaign: 'spring',
        session_campaign: 'spring',
        device_type: 'mobile',
      },
      [page('2026-11-06 14:00:00', '/'), track('2026-11-06 14:03:00', 'signed_up')],
    ),
    ...session(
      { anonymous_id: 'd1', session_id: 's12', first_channel: 'email', session_channel: 'email' },
      [page('2026-11-16 09:00:00', '/blog2')],
    ),
    ...session(
      { anonymous_id: 'e1', session_id: 's7', first_channel: 'social', session_channel: 'social' },
      [page('2026-11-08 20:00:00', '/')],
    ),
    ...session(
      {
        anonymous_id: 'g1',
        session_id: 's8',
        first_channel: 'display',
        session_channel: 'display',
      },
      [page('2026-11-10 10:00:00', '/ads')],
    ),
    ...session(
      { anonymous_id: 'g1', session_id: 's9', first_channel: 'display', session_channel: 'direct' },
      [page('2026-11-11 10:00:00', '/')],
    ),
    ...session(
      {
        anonymous_id: 'g1',
        session_id: 's10',
        first_channel: 'display',
        session_channel: 'referral',
      },
      [page('2026-11-12 10:00:00', '/guide'), track('2026-11-12 10:01:00', 'content_viewed')],
    ),
    ...session(
      {
        anonymous_id: 'g1',
        session_id: 's11',
        first_channel: 'display',
        session_channel: 'direct',
      },
      [page('2026-11-13 10:00:00', '/checkout'), order('2026-11-13 10:05:00', 80)],
    ),
    // The bot: would reach transaction if it counted.
    ...session({ anonymous_id: 'x1', session_id: 'sx', is_bot: 1, device_type: 'bot' }, [
      page('2026-11-09 01:00:00', '/'),
      page('2026-11-09 01:00:05', '/p'),
      order('2026-11-09 01:00:10', 999),
    ]),
    // Another project, and the edges of the range.
    eventRow({
      project_id: 'p2',
      anonymous_id: 'a1',
      session_id: 'o1',
      ...order('2026-11-02 11:00:00', 500),
    }),
    eventRow({ anonymous_id: 'f1', session_id: 'o2', timestamp: '2026-10-31 23:59:59' }),
    eventRow({ anonymous_id: 'f1', session_id: 'o3', timestamp: '2026-12-01 00:00:00' }),
  ];
  // Stored twice: alice's first order (a replay, identical), dave's page (a retry, 1 s later).
  const aliceOrder = eventRow({
    anonymous_id: 'a1',
    session_id: 's1',
    ...alicePaid,
    ...order('2026-11-02 10:05:00', 100),
  });
  const davePage = eventRow({
    anonymous_id: 'd1',
    session_id: 's6',
    first_channel: 'email',
    session_channel: 'email',
    ...page('2026-11-07 09:00:00', '/blog'),
  });
  rows.push(aliceOrder, { ...aliceOrder });
  rows.push(davePage, { ...davePage, timestamp: '2026-11-07 09:00:01' });
  return rows;
}

export function journeyIdentities(): IdentityRow[] {
  const link = identityRow({ anonymous_id: 'a1', user_id: 'u1', timestamp: '2026-11-02 10:03:00' });
  return [
    link,
    link, // a replayed identify
    identityRow({ anonymous_id: 'a1b', user_id: 'u1', timestamp: '2026-11-05 09:05:00' }),
  ];
}

/** Touch paths of the four conversions (session start, channel), for the attribution checks. */
export const CONVERSION_PATHS = [
  { at: '2026-11-02 10:05:00', revenue: 100, touches: [['2026-11-02 10:00:00', 'paid']] },
  {
    at: '2026-11-05 09:10:00',
    revenue: 30,
    touches: [
      ['2026-11-02 10:00:00', 'paid'],
      ['2026-11-05 09:00:00', 'email'],
    ],
  },
  {
    at: '2026-11-04 08:10:00',
    revenue: 50,
    touches: [
      ['2026-11-03 12:00:00', 'organic'],
      ['2026-11-04 08:00:00', 'direct'],
    ],
  },
  {
    at: '2026-11-13 10:05:00',
    revenue: 80,
    touches: [
      ['2026-11-10 10:00:00', 'display'],
      ['2026-11-11 10:00:00', 'direct'],
      ['2026-11-12 10:00:00', 'referral'],
      ['2026-11-13 10:00:00', 'direct'],
    ],
  },
] as const;
