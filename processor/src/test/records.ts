/**
 * Kafka records for tests: version-1 records (`CollectedEvent`, one per event, as on a topic from
 * before the upgrade) and version-2 ones (what the collector produces now).
 */
import { type CollectedEvent, encodeRecords } from '@waymark/contract/record';
import type { ChannelTouch } from '@waymark/contract/wire';

export const DIRECT: ChannelTouch = {
  channel: 'direct',
  source: '',
  medium: '',
  campaign: '',
  term: '',
  content: '',
  clickIdType: '',
  referrerHost: '',
};

export const PAID_SEARCH: ChannelTouch = {
  channel: 'paid',
  source: 'google',
  medium: 'cpc',
  campaign: 'winter',
  term: 'boots',
  content: 'ad1',
  clickIdType: 'gclid',
  referrerHost: 'www.google.com',
};

export const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
export const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1';
export const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

export function collectedEvent(overrides: {
  messageId: string;
  projectId?: string;
  event?: Partial<CollectedEvent['event']>;
  timestamp?: string;
  receivedAt?: string;
}): CollectedEvent {
  return {
    projectId: overrides.projectId ?? 'p1',
    receivedAt: overrides.receivedAt ?? '2026-11-20T10:00:01.250Z',
    timestamp: overrides.timestamp ?? '2026-11-20T10:00:00.750Z',
    ip: '203.0.113.0',
    sessionTouch: PAID_SEARCH,
    firstTouch: DIRECT,
    event: {
      type: 'track',
      event: 'signup',
      anonymousId: 'anon-1',
      sentAt: '2026-11-20T10:00:01.000Z',
      context: {
        userAgent: CHROME_WINDOWS,
        locale: 'de-DE',
        library: { name: 'waymark.js', version: '0.1.0' },
        page: {
          url: 'https://shop.example/boots?utm_source=google',
          referrer: 'https://www.Google.com/search?q=boots',
          title: 'Boots',
        },
        waymark: { sessionId: 's-1' },
      },
      ...overrides.event,
      messageId: overrides.messageId,
    },
  };
}

export function bytes(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** A version-2 record holding these events (one request's events of one person). */
export function recordOf(events: readonly CollectedEvent[]): Buffer {
  const values = encodeRecords(events);
  if (values.length !== 1) throw new Error(`${events.length} events made ${values.length} records`);
  return Buffer.from(values[0] as string);
}
