import { queryParams, utmCampaign } from '@waymark/contract/channel';
import type { EventType, JsonObject, WireContext, WireEvent } from '@waymark/contract/wire';
import { DEFAULTS, type WaymarkConfig } from './config.js';
import { createDispatcher } from './dispatcher.js';
import type { Environment } from './environment.js';
import type { JourneyEvent, JourneyEvents, Properties } from './journey.js';
import { createQueue } from './queue.js';
import { currentSession, type Landing } from './session.js';
import { KEYS, memoryStore, type Store } from './store.js';
import type { Transport } from './transport.js';
import { uuid } from './uuid.js';
import { LIBRARY } from './version.js';

/** Per-call overrides: who (server side), when, and extra context. */
export interface EventOptions {
  userId?: string;
  anonymousId?: string;
  timestamp?: Date;
  context?: WireContext;
}

export interface Adapters {
  /** Persistent store: ids, session, queue, opt-out. */
  store: Store;
  transport: Transport;
  /** The page the client runs in; absent in Node. */
  env?: Environment;
}

/**
 * The portable core: builds Segment events, stamps session and first touch, queues and sends
 * them. It touches no browser or Node global; the adapters bring storage, transport and page.
 */
export function createClient(
  config: WaymarkConfig,
  { store: persistent, transport, env }: Adapters,
) {
  const settings = { ...DEFAULTS, ...config };
  if (!settings.writeKey || !settings.host)
    throw new Error('waymark: writeKey and host are required');
  // Cookieless: nothing that identifies a person is stored; the opt-out choice still is.
  const store = settings.cookieless ? memoryStore() : persistent;
  const queue = createQueue(store, {
    maxEvents: settings.maxQueueEvents,
    maxBytes: settings.maxQueueBytes,
  });
  const dispatcher = createDispatcher(queue, transport, {
    ...settings,
    url: `${settings.host.replace(/\/+$/, '')}/v1/batch`,
    writeKey: String(settings.writeKey),
  });
  /** The page load's landing, until the first event has used it to find its session. */
  let landing: Landing | undefined = env?.landing;
  let pageUrl: string | undefined;
  let pageReferrer = env?.landing.referrer ?? '';

  const anonymousId = () => {
    const id = store.get(KEYS.anonymousId) ?? uuid();
    store.set(KEYS.anonymousId, id);
    return id;
  };

  /** The page context; the referrer of a page inside an SPA is the previous page. */
  const page = () => env && { ...env.page(), referrer: pageReferrer };

  function waymarkContext(now: number): WireContext {
    if (!env) return {};
    const current = page()!;
    const { session, firstTouch } = currentSession(
      store,
      now,
      settings.sessionTimeout * 60_000,
      landing ?? { url: current.url ?? '', referrer: '' },
    );
    landing = undefined;
    const droppedEvents = queue.takeDropped();
    return {
      page: current,
      campaign: utmCampaign(queryParams(session.touch.url)),
      userAgent: env.userAgent,
      locale: env.locale,
      waymark: {
        sessionId: session.id,
        sessionStartedAt: new Date(session.start).toISOString(),
        sessionTouch: session.touch,
        firstTouch,
        ...(droppedEvents && { droppedEvents }),
      },
    };
  }

  function send(type: EventType, fields: Partial<WireEvent>, options: EventOptions = {}): void {
    if (
      persistent.get(KEYS.optOut) === '1' ||
      (settings.honorGpc && env?.gpc) ||
      (settings.honorDnt && env?.dnt)
    )
      return;
    const now = options.timestamp?.getTime() ?? Date.now();
    queue.push({
      type,
      messageId: uuid(),
      anonymousId: options.anonymousId ?? anonymousId(),
      userId: options.userId ?? store.get(KEYS.userId) ?? undefined,
      ...fields,
      context: { library: LIBRARY, ...waymarkContext(now), ...options.context },
      timestamp: new Date(now).toISOString(),
    });
    dispatcher.queued();
  }

  const client = {
    /** A journey event (`order_completed`, …) requires its typed properties; others take any. */
    track<E extends string>(
      event: E,
      ...[properties, options]: E extends JourneyEvent
        ? [JourneyEvents[E], EventOptions?]
        : [Properties?, EventOptions?]
    ): void {
      send('track', { event, properties: (properties ?? {}) as JsonObject }, options);
    },
    /** A page view of the current page (automatic on load and SPA navigation by default). */
    page(properties?: Properties, options?: EventOptions): void {
      const url = env?.page().url;
      if (url !== pageUrl) {
        if (pageUrl !== undefined) pageReferrer = pageUrl;
        pageUrl = url;
      }
      send('page', { properties: { ...page(), ...properties } as JsonObject }, options);
    },
    /** The URL of the last page view, so that adapters can skip repeated navigations. */
    pageUrl: () => pageUrl,
    identify(userId: string, traits?: Properties, options?: EventOptions): void {
      if (userId && !options?.userId) store.set(KEYS.userId, userId);
      send('identify', { userId, traits: (traits ?? {}) as JsonObject }, options);
    },
    /** Segment's `group`: the user belongs to `groupId` (a company, an account), with its traits. */
    group(groupId: string, traits?: Properties, options?: EventOptions): void {
      send('group', { groupId, traits: (traits ?? {}) as JsonObject }, options);
    },
    /** Links `previousId` (default: the current user or anonymous id) to `userId`. */
    alias(userId: string, previousId?: string, options?: EventOptions): void {
      const previous = previousId ?? store.get(KEYS.userId) ?? anonymousId();
      send('alias', { userId, previousId: previous }, options);
      if (!options?.userId) store.set(KEYS.userId, userId);
    },
    /** Logout: forget the user, start a new anonymous id and a new session. */
    reset(): void {
      store.set(KEYS.userId);
      store.set(KEYS.anonymousId);
      store.set(KEYS.session);
    },
    /** Stop sending and forget what waits; persisted, also in cookieless mode. */
    optOut(): void {
      persistent.set(KEYS.optOut, '1');
      queue.clear();
    },
    optIn(): void {
      persistent.set(KEYS.optOut);
    },
    // The dispatcher's closures, handed out as they are (they use no `this`).
    flush: dispatcher.flush,
    /** The page is going away: beacon what waits. */
    flushBeacon: dispatcher.beacon,
    /** Stops sending on timers; what waits stays queued. */
    stop: dispatcher.stop,
    /** How many events wait to be sent. */
    pending: (): number => queue.read().length,
  };
  return client;
}

export type WaymarkClient = ReturnType<typeof createClient>;
