/**
 * Query-benchmark data generated inside ClickHouse (`INSERT … SELECT … FROM numbers(N)`): this
 * benchmark is about query speed, not ingestion, so N rows take seconds, not minutes.
 *
 * Shape: N/10 people, 10 events each over a 60-day range — landing page view (awareness), more
 * page views and product views (engagement), an order for every third person (transaction), a
 * return visit 3 days later for half of the buyers (retention); seven channels, two devices.
 */
import type { EventRow } from '@waymark/contract/schema';
import { PROJECT_ID } from './payload.js';

export const SEED_RANGE = { from: '2026-09-01', to: '2026-10-30' } as const;

/** Ten events per person. */
export const seededPeople = (events: number): number => Math.max(1, Math.floor(events / 10));

/** SQL for each column we fill; typed against the schema contract so a renamed column fails. */
function columnExpressions(people: number): Partial<Record<keyof EventRow, string>> {
  const person = `(number % ${people})`;
  const step = `intDiv(number, ${people})`;
  const buyer = `(${person} % 3 = 0)`;
  const channel = `['direct','organic','paid','social','email','referral','display'][${person} % 7 + 1]`;
  return {
    project_id: `'${PROJECT_ID}'`,
    message_id: `concat('m-', toString(number))`,
    type: `if(${step} IN (0, 1, 2, 3, 8), 'page', 'track')`,
    event: `multiIf(${step} = 7 AND ${buyer}, 'order_completed', ${step} IN (4, 5, 6, 7, 9), 'product_viewed', '/')`,
    anonymous_id: `concat('a-', toString(${person}))`,
    session_id: `concat('s-', toString(${person}), if(${step} >= 8, '-b', ''))`,
    // A UTC instant whatever the server's time zone; inserted into DateTime or DateTime64(3).
    timestamp: `toDateTime('${SEED_RANGE.from} 00:00:00', 'UTC') + (${person} % 55) * 86400 + ${step} * 600 + if(${step} >= 8 AND ${buyer} AND ${person} % 2 = 0, 3 * 86400, 0)`,
    sent_at: 'now()',
    received_at: 'now()',
    session_channel: channel,
    first_channel: channel,
    session_source: `if(${channel} = 'direct', '', 'google')`,
    session_campaign: `['spring_sale','brand','retarget'][${person} % 3 + 1]`,
    first_campaign: `['spring_sale','brand','retarget'][${person} % 3 + 1]`,
    page_url: `concat('https://shop.example/p/', toString(${step}))`,
    page_path: `concat('/p/', toString(${step}))`,
    revenue: `if(${step} = 7 AND ${buyer}, 49.9 + ${person} % 100, 0)`,
    currency: `'EUR'`,
    device_type: `if(${person} % 4 = 0, 'mobile', 'desktop')`,
    is_bot: '0',
    properties: `'{}'`,
    traits: `'{}'`,
  };
}

export function seedSql(database: string, events: number): string {
  const exprs = Object.entries(columnExpressions(seededPeople(events)));
  return `INSERT INTO ${database}.events (${exprs.map(([c]) => c).join(', ')})
    SELECT ${exprs.map(([, e]) => e).join(', ')} FROM numbers(${events})`;
}
