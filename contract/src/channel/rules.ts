import type { Channel } from '../wire.js';
import { sourceKind } from './sources.js';

const PAID_MEDIUM = /^(.*cp.*|ppc|retargeting|paid.*)$/;
const DISPLAY_MEDIUM = /^(display|banner|expandable|interstitial|cpm)$/;
/** Organic Social's media and Organic Video's (any medium with `video` in it): both are social. */
const SOCIAL_MEDIUM = /^(social([- ](network|media))?|sm)$|video/;
const SHOP_CAMPAIGN = /(([^a-df-z]|^)shop|shopping)/;
const EMAIL = /^e[-_ ]?mail$/;

/** GA4's Direct: source (direct) with medium (none), (not set) or none. Inputs are lower-case. */
export const isDirect = (source: string, medium: string): boolean =>
  source === '(direct)' && /^(\(none\)|\(not set\))?$/.test(medium);

/**
 * GA4's default channel group rules, in GA4's order, folded onto Waymark's seven channels
 * (https://support.google.com/analytics/answer/9756891). Where GA4 has a channel Waymark does
 * not: Cross-network, Paid Shopping/Search/Social/Video/Other and Audio → paid; Organic
 * Shopping and Affiliates → referral; Organic Video → social; SMS and Mobile Push
 * Notifications → email; Unassigned → referral when anything tagged it, direct otherwise.
 * Inputs are lower-case.
 */
export function channelOf(source: string, medium: string, campaign: string): Channel {
  if (isDirect(source, medium)) return 'direct';
  const kind = sourceKind(source);
  const paidMedium = PAID_MEDIUM.test(medium);
  const shopping = kind === 'shopping' || SHOP_CAMPAIGN.test(campaign);
  if (campaign.includes('cross-network')) return 'paid';
  if (paidMedium && (shopping || kind)) return 'paid';
  if (DISPLAY_MEDIUM.test(medium)) return 'display';
  if (paidMedium) return 'paid';
  if (shopping) return 'referral';
  if (kind === 'social' || kind === 'video' || SOCIAL_MEDIUM.test(medium)) return 'social';
  if (kind === 'search' || medium === 'organic') return 'organic';
  if (/^(referral|app|link)$/.test(medium)) return 'referral';
  if (EMAIL.test(source) || EMAIL.test(medium)) return 'email';
  if (medium === 'affiliate') return 'referral';
  if (medium === 'audio') return 'paid';
  if (source === 'sms' || medium === 'sms') return 'email';
  if (/push$|mobile|notification/.test(medium) || source === 'firebase') return 'email';
  return source || medium || campaign ? 'referral' : 'direct';
}
