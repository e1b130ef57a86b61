import { memoize } from '@waymark/kit/memo';
import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';

export interface UserAgentFields {
  browser: string;
  browser_version: string;
  os: string;
  /** desktop | mobile | tablet | bot | other */
  device_type: string;
  is_bot: number;
}

/** ua-parser-js device types that are not phones or tablets (consoles, TVs, wearables, …). */
function deviceTypeOf(parsedType: string | undefined, hasBrowserOrOs: boolean): string {
  if (parsedType === 'mobile' || parsedType === 'tablet') return parsedType;
  if (parsedType !== undefined) return 'other';
  // ua-parser-js leaves the type empty for desktops; an unknown agent (or none) is 'other'.
  return hasBrowserOrOs ? 'desktop' : 'other';
}

function parse(userAgent: string): UserAgentFields {
  const bot = userAgent !== '' && isbot(userAgent);
  const { browser, os, device } = UAParser(userAgent);
  return {
    browser: browser.name ?? '',
    browser_version: browser.version ?? '',
    os: os.name ?? '',
    device_type: bot ? 'bot' : deviceTypeOf(device.type, Boolean(browser.name || os.name)),
    is_bot: bot ? 1 : 0,
  };
}

// Real traffic has few distinct agents; parsing is the costliest step of enrichment.
const parseMemo = memoize((userAgent: string) => Object.freeze(parse(userAgent)), 2000);

/** User agent → browser, OS, device type and bot flag (ua-parser-js and isbot). */
export function parseUserAgent(userAgent: string | null | undefined): UserAgentFields {
  return parseMemo(userAgent ?? '');
}
