import type { Channel } from '../wire.js';

/**
 * Ad click ids and what they say about the click, in the order they are checked:
 * `param:source` for a paid click (medium cpc), `param:source:medium:channel` otherwise.
 * The channel is a floor: a click id makes the touch at least this paid-or-social, whatever
 * the UTMs say, unless the UTMs already say paid or display. GA4 ignores most of these;
 * Waymark does not (see the README): an ad network only adds them to clicks on its ads,
 * except Meta's fbclid, which it adds to organic and paid links alike.
 */
const TABLE =
  'gclid:google gbraid:google wbraid:google dclid:google:display:display msclkid:bing yclid:yandex ttclid:tiktok li_fat_id:linkedin twclid:twitter epik:pinterest rdt_cid:reddit sccid:snapchat fbclid:facebook:social:social';

export type ClickId = readonly [param: string, source: string, medium: string, channel: Channel];

export const CLICK_IDS: readonly ClickId[] = TABLE.split(' ').map((entry) => {
  const [param, source, medium = 'cpc', channel = 'paid'] = entry.split(':');
  return [param!, source!, medium, channel as Channel];
});
