import { existsSync } from 'node:fs';
import { ensureDebianPackage } from './apt.js';

/** Debian's Chromium: browser downloads (playwright install, puppeteer) are not possible here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags every browser test uses: headless, and no calls home on a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
] as const;

export function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  ensureDebianPackage('chromium', 'chromium', 'headless browser for the SDK and dashboard tests');
}
