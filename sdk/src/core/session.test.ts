import { beforeEach, describe, expect, it, vi } from 'vitest';
import { currentSession } from './session.js';
import { memoryStore, type Store } from './store.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const MIN = 60_000;
const TIMEOUT = 30 * MIN;
const SITE = 'https://shop.example.com/';

describe('sessions', () => {
  let store: Store;
  beforeEach(() => {
    store = memoryStore();
    vi.useFakeTimers({ now: T0 });
  });

  it('continues within the timeout and starts anew after it, measured from the last event', () => {
    const first = currentSession(store, T0, TIMEOUT, { url: SITE, referrer: '' }).session;
    expect(currentSession(store, T0 + 29 * MIN, TIMEOUT).session.id).toBe(first.id);
    expect(currentSession(store, T0 + 58 * MIN, TIMEOUT).session.id).toBe(first.id);
    const next = currentSession(store, T0 + 89 * MIN, TIMEOUT).session;
    expect(next.id).not.toBe(first.id);
    expect(next.start).toBe(T0 + 89 * MIN);
  });

  it('honours a configured timeout', () => {
    const first = currentSession(store, T0, 5 * MIN).session;
    expect(currentSession(store, T0 + 6 * MIN, 5 * MIN).session.id).not.toBe(first.id);
  });

  it('is shared by every client (tab) on the same store', () => {
    const tabA = currentSession(store, T0, TIMEOUT, { url: SITE, referrer: '' }).session;
    const tabB = currentSession(store, T0 + MIN, TIMEOUT, { url: `${SITE}b`, referrer: SITE });
    expect(tabB.session.id).toBe(tabA.id);
  });

  it('starts a new session when a landing brings a new campaign, as GA4 does', () => {
    const organic = currentSession(store, T0, TIMEOUT, {
      url: SITE,
      referrer: 'https://www.google.com/',
    }).session;
    expect(organic.key).toBe('google|organic|||');
    const email = currentSession(store, T0 + MIN, TIMEOUT, {
      url: `${SITE}?utm_source=newsletter&utm_medium=email`,
      referrer: '',
    }).session;
    expect(email.id).not.toBe(organic.id);
    expect(email.key).toBe('newsletter|email|||');
    expect(email.touch).toEqual({
      url: `${SITE}?utm_source=newsletter&utm_medium=email`,
      referrer: '',
      timestamp: new Date(T0 + MIN).toISOString(),
    });
  });

  it('starts a new session on a new external referrer', () => {
    const first = currentSession(store, T0, TIMEOUT, { url: SITE, referrer: '' }).session;
    const next = currentSession(store, T0 + MIN, TIMEOUT, {
      url: SITE,
      referrer: 'https://news.other.org/a',
    }).session;
    expect(next.id).not.toBe(first.id);
    expect(next.key).toBe('news.other.org|referral|||');
  });

  it('keeps the session on a reload with the same campaign, an internal referrer or no referrer', () => {
    const landing = { url: `${SITE}?utm_source=google&utm_medium=cpc`, referrer: '' };
    const first = currentSession(store, T0, TIMEOUT, landing).session;
    for (const [minute, next] of [
      [1, landing],
      [2, { url: `${SITE}cart`, referrer: SITE }],
      [3, { url: `${SITE}cart`, referrer: 'https://blog.example.com/' }],
      [4, { url: `${SITE}`, referrer: '' }],
    ] as const) {
      expect(currentSession(store, T0 + minute * MIN, TIMEOUT, next).session.id).toBe(first.id);
    }
  });

  it('keys a landing by its source, medium, campaign, term and content; direct is no key', () => {
    const keyOf = (url: string, referrer = '') => {
      const session = currentSession(memoryStore(), T0, TIMEOUT, { url, referrer }).session;
      return session.key;
    };
    expect(keyOf(SITE)).toBe('');
    expect(keyOf(SITE, `${SITE}cart`)).toBe('');
    expect(keyOf(`${SITE}?utm_campaign=spring`)).toBe('');
    expect(keyOf(`${SITE}?utm_source=(direct)&utm_medium=(not set)`)).toBe('');
    expect(
      keyOf(`${SITE}?utm_source=Google&utm_medium=CPC&utm_campaign=Spring&utm_term=shoes`),
    ).toBe('google|cpc|Spring|shoes|');
    expect(keyOf(`${SITE}?gclid=abc&utm_campaign=winter`)).toBe('google|cpc|winter||');
    expect(keyOf(`${SITE}?fbclid=abc`)).toBe('facebook|social|||');
    expect(keyOf(SITE, 'https://www.google.co.uk/')).toBe('google|organic|||');
    expect(keyOf(SITE, 'https://mail.google.com/')).toBe('mail.google.com|email|||');
    expect(keyOf(SITE, 'https://l.facebook.com/l.php')).toBe('l.facebook.com|referral|||');
  });

  it('keeps the session when a search engine sends the visitor back from another country site', () => {
    const first = currentSession(store, T0, TIMEOUT, {
      url: SITE,
      referrer: 'https://www.google.com/',
    }).session;
    const next = currentSession(store, T0 + MIN, TIMEOUT, {
      url: `${SITE}b`,
      referrer: 'https://www.google.co.uk/',
    }).session;
    expect(next.id).toBe(first.id);
  });

  it('records the first touch once and keeps it across sessions', () => {
    const landing = { url: `${SITE}?gclid=abc`, referrer: 'https://www.google.com/' };
    const { firstTouch } = currentSession(store, T0, TIMEOUT, landing);
    expect(firstTouch.url).toBe(landing.url);
    const later = currentSession(store, T0 + 5 * 24 * 60 * MIN, TIMEOUT, {
      url: `${SITE}?utm_source=newsletter&utm_medium=email`,
      referrer: '',
    });
    expect(later.session.touch.url).toContain('newsletter');
    expect(later.firstTouch).toEqual(firstTouch);
  });
});
