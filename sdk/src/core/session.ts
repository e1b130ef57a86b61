import { isDirect, touchSource } from '@waymark/contract/channel';
import type { WireTouch } from '@waymark/contract/wire';
import { KEYS, readJson, type Store, writeJson } from './store.js';
import { uuid } from './uuid.js';

export interface Session {
  id: string;
  /** epoch ms */
  start: number;
  /** epoch ms of the last event, shared by all tabs through the store */
  last: number;
  touch: WireTouch;
  /** What attributes the session (source|medium|campaign|…), '' for direct / internal. */
  key: string;
}

/** A landing: the URL and referrer of a page load. */
export type Landing = Pick<WireTouch, 'url' | 'referrer'>;

/**
 * The attribution of a landing, '' when it carries none (direct, or an internal referrer).
 * A landing with a different key than the running session starts a new session, as in GA4.
 */
const attribution = (landing: Landing): string => {
  const { source, medium, campaign, term, content, clickIdType } = touchSource(landing);
  // A click id always attributes; otherwise the channel would be direct exactly here.
  return clickIdType || !isDirect(source, medium)
    ? [source, medium, campaign, term, content].join('|')
    : '';
};

/**
 * The current session, started anew after `timeoutMs` of inactivity or when a landing brings a
 * new campaign or external referrer. Also records the first touch the first time it is called.
 */
export function currentSession(
  store: Store,
  now: number,
  timeoutMs: number,
  landing?: Landing,
): { session: Session; firstTouch: WireTouch } {
  let session = readJson<Session>(store, KEYS.session);
  const arriving = landing && attribution(landing);
  if (!session || now - session.last > timeoutMs || (arriving && arriving !== session.key)) {
    const touch = { url: '', referrer: '', ...landing, timestamp: new Date(now).toISOString() };
    session = { id: uuid(), start: now, last: now, touch, key: attribution(touch) };
  }
  session.last = now;
  writeJson(store, KEYS.session, session);
  const firstTouch = readJson<WireTouch>(store, KEYS.firstTouch) ?? session.touch;
  if (firstTouch === session.touch) writeJson(store, KEYS.firstTouch, firstTouch);
  return { session, firstTouch };
}
