/**
 * The `<script>` tag build (dist/waymark.js). Configured by the tag's data- attributes
 * (data-write-key, data-host, data-cookieless, …; data-host defaults to the script's origin),
 * or by a queued `waymark.init({...})`. Calls queued on the stub before load are replayed.
 */

import type { WaymarkConfig } from '../core/config.js';
import { init } from '../index.js';

type Call = [method: string, ...args: unknown[]];
type Stub = Call[] & Record<string, unknown>;

declare global {
  interface Window {
    waymark?: Stub | ReturnType<typeof init>;
  }
}

/** data-flush-interval="500" → 500, data-cookieless="" → true, data-honor-gpc="false" → false. */
const coerce = (value: string): string | number | boolean =>
  value === '' || value === 'true'
    ? true
    : value === 'false'
      ? false
      : /^\d+$/.test(value)
        ? Number(value)
        : value;

const script = document.currentScript as HTMLScriptElement | null;
const stub = (Array.isArray(window.waymark) ? window.waymark : []) as Stub;

function start(config: WaymarkConfig): void {
  const client = init(config);
  window.waymark = client;
  for (const [method, ...args] of stub) {
    const fn = (client as Record<string, unknown>)[method];
    if (method !== 'init' && typeof fn === 'function') fn(...args);
  }
}

const fromTag: Record<string, unknown> = {};
// A DOMStringMap's values are strings, never undefined.
for (const [key, value] of Object.entries(script?.dataset ?? {})) fromTag[key] = coerce(value!);
if (script?.src) fromTag.host ??= new URL(script.src).origin;
const queuedInit = stub.find(([method]) => method === 'init')?.[1] as WaymarkConfig | undefined;
// A second copy of the script on the page finds a started client and leaves it alone.
if (!window.waymark || Array.isArray(window.waymark)) {
  if (fromTag.writeKey) start(fromTag as unknown as WaymarkConfig);
  else if (queuedInit) start({ ...fromTag, ...queuedInit });
  else stub.init = (config: WaymarkConfig) => start({ ...fromTag, ...config });
}
