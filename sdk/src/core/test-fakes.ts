/** Fakes for the core's adapters, shared by the unit tests. */
import type { WireBatch } from '@waymark/contract/wire';
import type { Environment } from './environment.js';
import type { Transport } from './transport.js';

type Reply = number | { status: number; retryAfter?: string } | 'network-error';

/** Records every batch; answers 200 unless told otherwise, one reply per request. */
export function fakeTransport(replies: Reply[] = []) {
  const batches: WireBatch[] = [];
  const beacons: WireBatch[] = [];
  const transport: Transport & { batches: WireBatch[]; beacons: WireBatch[]; bodies: string[] } = {
    batches,
    beacons,
    bodies: [],
    async send(_url, body) {
      transport.bodies.push(body);
      batches.push(JSON.parse(body));
      const reply = replies.shift() ?? 200;
      if (reply === 'network-error') throw new TypeError('Failed to fetch');
      return typeof reply === 'number' ? { status: reply } : reply;
    },
    beacon(_url, body) {
      beacons.push(JSON.parse(body));
      return true;
    },
  };
  return transport;
}

export const sentEvents = (batches: WireBatch[]) => batches.flatMap((batch) => batch.batch);

/** A page the test can navigate. */
export function fakeEnvironment(
  landingUrl: string,
  referrer = '',
  extra: Partial<Environment> = {},
) {
  const state = { url: landingUrl, title: 'Landing' };
  const env: Environment & { go(url: string, title?: string): void } = {
    page: () => ({ url: state.url, path: new URL(state.url).pathname, title: state.title }),
    landing: { url: landingUrl, referrer },
    userAgent: 'test-agent',
    locale: 'en-GB',
    ...extra,
    go(url, title = url) {
      state.url = url;
      state.title = title;
    },
  };
  return env;
}

/** Lets pending promise callbacks (a resolved fake send) run under fake timers. */
export const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};
