/**
 * The zod side of the wire contract (wire.ts, beside it), which the collector validates with.
 * Checked against the types at compile time in both directions: what the schema outputs is a
 * `WireEvent`, and every `WireEvent` the SDK can build is accepted by the schema's input type.
 * Size, depth and string limits are enforced before this schema runs (the collector's
 * ingest/structure.ts), so the recursive JSON parts here are bounded.
 */

import { z } from 'zod';
import { LIMITS } from './limits.js';
import {
  CHANNELS,
  EVENT_TYPES,
  type JsonObject,
  type JsonValue,
  type WireBatch,
  type WireContext,
  type WireEvent,
} from './wire.js';

const id = z.string().min(1, 'must not be empty').max(LIMITS.maxIdLength);
const isoDate = z.iso.datetime({ offset: true, message: 'an ISO-8601 date-time' });
/**
 * Bodies only ever come from `JSON.parse`, so every value is JSON by construction, and
 * ingest/structure.ts has already walked all of it (depth, sizes, keys). Re-validating JSON-ness
 * recursively with `z.json()` cost about half of all per-event CPU; these schemas check the shape
 * (an object where the contract says object) and carry the JSON types.
 */
const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
const json = z.custom<JsonValue>(() => true);
const jsonObject = z.custom<JsonObject>(isObject, { message: 'expected an object' });

const pageSchema = z.object({
  url: z.string().optional(),
  path: z.string().optional(),
  referrer: z.string().optional(),
  title: z.string().optional(),
  search: z.string().optional(),
});

const campaignSchema = z.object({
  source: z.string().optional(),
  medium: z.string().optional(),
  name: z.string().optional(),
  term: z.string().optional(),
  content: z.string().optional(),
});

const touchSchema = z.object({
  url: z.string(),
  referrer: z.string(),
  timestamp: isoDate.optional(),
});

const waymarkSchema = z.object({
  sessionId: id,
  sessionStartedAt: isoDate.optional(),
  sessionTouch: touchSchema.optional(),
  firstTouch: touchSchema.optional(),
  channel: z.enum(CHANNELS).optional(),
  droppedEvents: z.number().int().nonnegative().optional(),
});

export const contextSchema = z
  .object({
    page: pageSchema.optional(),
    campaign: campaignSchema.optional(),
    library: z.object({ name: z.string(), version: z.string() }).optional(),
    userAgent: z.string().optional(),
    locale: z.string().optional(),
    timezone: z.string().optional(),
    ip: z.string().optional(),
    waymark: waymarkSchema.optional(),
  })
  .catchall(json);

export const eventSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    messageId: id.optional(),
    anonymousId: id.optional(),
    userId: id.optional(),
    event: id.optional(),
    name: z.string().max(LIMITS.maxIdLength).optional(),
    properties: jsonObject.optional(),
    traits: jsonObject.optional(),
    context: contextSchema.optional(),
    timestamp: isoDate.optional(),
    originalTimestamp: isoDate.optional(),
    sentAt: isoDate.optional(),
    previousId: id.optional(),
    groupId: id.optional(),
    integrations: jsonObject.optional(),
  })
  .superRefine((e, ctx) => {
    // Segment's per-type required fields.
    if (e.type === 'track' && e.event === undefined) {
      ctx.addIssue({ code: 'custom', path: ['event'], message: 'required for track events' });
    }
    if (e.type === 'alias' && e.previousId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['previousId'], message: 'required for alias events' });
    }
    // An alias links previousId to userId: without the new id there is nothing to link.
    if (e.type === 'alias' && e.userId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['userId'], message: 'required for alias events' });
    }
    if (e.type === 'group' && e.groupId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'required for group events' });
    }
  });

/** The batch envelope; its events are validated one by one so one bad event sinks no other. */
export const envelopeSchema = z.object({
  batch: z.array(z.unknown()).optional(),
  sentAt: isoDate.optional(),
  writeKey: z.string().max(LIMITS.maxIdLength).optional(),
  context: contextSchema.optional(),
});

/** The whole batch, for the compile-time check against `WireBatch`. */
export const batchSchema = envelopeSchema.extend({ batch: z.array(eventSchema) });

// Compile-time checks, both directions. The input direction compares context without its index
// signature: WireContext's signature also admits the known sub-shapes (a TS artefact), while the
// schema types extra context keys as plain JSON, which is what the SDK actually puts there.
type Extends<T, _U extends T> = true;
type WithoutIndex<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
export type _EventOutputIsWire = Extends<WireEvent, z.output<typeof eventSchema>>;
export type _ContextOutputIsWire = Extends<WireContext, z.output<typeof contextSchema>>;
export type _BatchOutputIsWire = Extends<WireBatch, z.output<typeof batchSchema>>;
export type _WireEventIsAccepted = Extends<
  Omit<z.input<typeof eventSchema>, 'context'>,
  Omit<WireEvent, 'context'>
>;
export type _WireContextIsAccepted = Extends<
  WithoutIndex<z.input<typeof contextSchema>>,
  WithoutIndex<WireContext>
>;
export type _WireBatchIsAccepted = Extends<
  Omit<z.input<typeof batchSchema>, 'batch' | 'context'>,
  Omit<WireBatch, 'batch' | 'context'>
>;
