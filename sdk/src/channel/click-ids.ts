import type { Channel } from '../wire.js';

/**
 * Ad click ids and what they say about the click, in the order they are checked. The
 * channel is a floor: a click id makes the touch at least this paid-or-social, whatever the
 * UTMs say, unless the UTMs already say paid or display. GA4 ignores most of these; Waymark
 * does not (see the README): an ad network only adds them to clicks on its ads, except
 * Meta's fbclid, which it adds to organic and paid links alike.
 */
export const CLICK_IDS: ReadonlyArray<
  readonly [param: string, source: string, medium: string, channel: Channel]
> = [
  ['gclid', 'google', 'cpc', 'paid'],
  ['gbraid', 'google', 'cpc', 'paid'],
  ['wbraid', 'google', 'cpc', 'paid'],
  ['dclid', 'google', 'display', 'display'],
  ['msclkid', 'bing', 'cpc', 'paid'],
  ['yclid', 'yandex', 'cpc', 'paid'],
  ['ttclid', 'tiktok', 'cpc', 'paid'],
  ['li_fat_id', 'linkedin', 'cpc', 'paid'],
  ['twclid', 'twitter', 'cpc', 'paid'],
  ['epik', 'pinterest', 'cpc', 'paid'],
  ['rdt_cid', 'reddit', 'cpc', 'paid'],
  ['sccid', 'snapchat', 'cpc', 'paid'],
  ['fbclid', 'facebook', 'social', 'social'],
];
