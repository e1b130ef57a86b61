/**
 * The channel classifier: one pure function, shared by the browser SDK, the Node SDK and the
 * collector (which re-classifies what clients send). No DOM, no Node globals.
 * `import { classifyChannel } from '@waymark/contract/channel'`.
 */

import { CLICK_IDS } from './channel/click-ids.js';
import { channelOf } from './channel/rules.js';
import { isMailHost, searchSite } from './channel/sources.js';
import { hostOf, isInternalHost, queryParams, utmCampaign } from './channel/url.js';
import type { ChannelTouch, WireCampaign } from './wire.js';

export { isDirect } from './channel/rules.js';
export { isInternalReferrer, queryParams, utmCampaign } from './channel/url.js';

export interface ChannelInput {
  /** The landing page URL, with its query string. */
  url: string;
  /** The referrer at landing (`document.referrer`), or ''. */
  referrer?: string;
  /** Segment's `context.campaign`, used when the URL carries no UTM source or medium. */
  campaign?: WireCampaign;
}

/** A touch's source, medium and details: what `classifyChannel` finds before its channel rules. */
export type TouchSource = Omit<ChannelTouch, 'channel'>;

/**
 * The source and medium of a touch, with the detail behind them. Source precedence: UTM
 * parameters in the URL, then the given campaign, then an ad click id, then an external
 * referrer, else direct. An internal referrer counts as none. The SDK reads this (to tell
 * whether a landing starts a new session) without bundling the channel rules.
 */
export function touchSource({ url, referrer = '', campaign = {} }: ChannelInput): TouchSource {
  const params = queryParams(url);
  // A URL tagged with a UTM source or medium has its UTMs only; otherwise the given campaign
  // counts, its name, term and content replaced by the URL's where it has them.
  const {
    source: utmSource = '',
    medium: utmMedium = '',
    name = '',
    term = '',
    content = '',
  }: WireCampaign = {
    ...(params.utm_source || params.utm_medium ? {} : campaign),
    ...utmCampaign(params),
  };
  const click = CLICK_IDS.find(([param]) => params[param]);
  const referrerHost = hostOf(referrer);

  let source = utmSource.toLowerCase();
  let medium = utmMedium.toLowerCase();
  if (!(source || medium)) {
    if (click) [, source, medium] = click;
    else if (referrerHost && !isInternalHost(url, referrerHost)) {
      const host = referrerHost.replace(/^www\./, '');
      const search = searchSite(host);
      source = search || host;
      medium = isMailHost(host) ? 'email' : search ? 'organic' : 'referral';
    } else {
      source = '(direct)';
      medium = '(none)';
    }
  }
  return {
    source,
    medium,
    campaign: name,
    term,
    content,
    clickIdType: click ? click[0] : '',
    referrerHost,
  };
}

/**
 * Classifies a touch into one of the seven channels, with the detail behind it (`touchSource`).
 */
export function classifyChannel(input: ChannelInput): ChannelTouch {
  const touch = touchSource(input);
  const click = CLICK_IDS.find(([param]) => param === touch.clickIdType);
  let channel = channelOf(touch.source, touch.medium, touch.campaign.toLowerCase());
  // A click id is a floor: only UTMs saying paid or display outrank it.
  if (click && channel !== 'paid' && channel !== 'display') channel = click[3];
  return { channel, ...touch };
}
