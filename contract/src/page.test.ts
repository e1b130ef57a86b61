import { describe, expect, it } from 'vitest';
import { pageOf } from './page.js';

describe('pageOf', () => {
  it('takes context.page, field by field before the page properties of a page event', () => {
    expect(
      pageOf({
        type: 'page',
        context: { page: { url: 'https://a.example/x', referrer: null } },
        properties: { url: 'https://b.example/', referrer: 'https://t.co/', title: 7 },
      }),
    ).toEqual({ url: 'https://a.example/x', referrer: 'https://t.co/' });
  });

  it('reads page properties only for page events', () => {
    const properties = { url: 'https://a.example/?utm_source=x', path: '/' };
    expect(pageOf({ type: 'page', properties })).toEqual(properties);
    expect(pageOf({ type: 'track', properties })).toBeUndefined();
    expect(pageOf({ type: 'track', context: { page: {} } })).toEqual({});
    expect(pageOf({ type: 'page', properties: { plan: 'pro' } })).toBeUndefined();
  });
});
