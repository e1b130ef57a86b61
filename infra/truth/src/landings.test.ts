import { classifyChannel } from '@waymark/contract/channel';
import { CHANNELS } from '@waymark/contract/wire';
import { expect, it } from 'vitest';
import { campaignOf, LANDINGS, LANDINGS_BY_CHANNEL } from './landings.js';

const keyOf = (touch: ReturnType<typeof classifyChannel>) =>
  touch.channel === 'direct'
    ? ''
    : [touch.source, touch.medium, touch.campaign, touch.term, touch.content].join('|');

it('files every landing under its channel, read as analytics.js or as Node users send it', () => {
  for (const landing of LANDINGS) {
    const campaign = campaignOf(landing);
    const asBrowser = classifyChannel({
      url: landing.url,
      referrer: landing.referrer,
      ...(campaign ? { campaign } : {}),
    });
    // Node users' page calls: the URL and referrer in properties, a campaign only if remembered.
    const asNode = classifyChannel({
      url: landing.url,
      referrer: landing.referrer,
      ...(landing.campaign ? { campaign: landing.campaign } : {}),
    });
    expect(asBrowser.channel, landing.id).toBe(landing.channel);
    expect(keyOf(asNode), landing.id).toBe(keyOf(asBrowser));
  }
});

it('gives every non-direct landing its own attribution key, and covers every channel', () => {
  const keys = LANDINGS.map((l) => {
    const campaign = campaignOf(l);
    return keyOf(
      classifyChannel({ url: l.url, referrer: l.referrer, ...(campaign ? { campaign } : {}) }),
    );
  });
  const nonDirect = keys.filter((k) => k !== '');
  expect(new Set(nonDirect).size).toBe(nonDirect.length);
  expect(nonDirect.length).toBe(LANDINGS.filter((l) => l.channel !== 'direct').length);
  for (const channel of CHANNELS)
    expect(LANDINGS_BY_CHANNEL[channel]?.length, channel).toBeGreaterThan(1);
});
