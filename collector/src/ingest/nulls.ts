/**
 * Segment's libraries send `null` for what they do not know: analytics.js sends
 * `"userId": null` on every anonymous event, and `context.page.search: null`-style fields appear
 * in the wild. The HTTP Tracking API reads a null field as an absent one, so the collector does
 * too: nulls are dropped from the event's own fields and from the known context objects before
 * validation. Nulls inside `properties`, `traits` and other free-form JSON are data and stay.
 */
import { isPlainObject } from './plain-object.js';

/** The context objects whose fields the wire contract types (contract/src/wire.ts). */
const TYPED_CONTEXT_OBJECTS = ['page', 'campaign', 'library', 'waymark'] as const;

/** A copy of `object` without its null-valued keys, or `object` itself when it has none. */
function withoutNullFields(object: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    if (object[key] === null) {
      copy ??= { ...object };
      delete copy[key];
    }
  }
  return copy ?? object;
}

/** A typed context object without nulls; the context itself is copied only when one changes. */
function contextWithoutNulls(context: Record<string, unknown>): Record<string, unknown> {
  let result = withoutNullFields(context);
  for (const name of TYPED_CONTEXT_OBJECTS) {
    const inner = result[name];
    if (!isPlainObject(inner)) continue;
    const cleaned = withoutNullFields(inner);
    if (cleaned !== inner) {
      if (result === context) result = { ...context };
      result[name] = cleaned;
    }
  }
  return result;
}

/**
 * The event with Segment's "unknown" nulls removed (see the file comment). Returns the input
 * itself when it holds none, so the common case allocates nothing.
 */
export function withoutSegmentNulls(event: Record<string, unknown>): Record<string, unknown> {
  let result = withoutNullFields(event);
  const context = result.context;
  if (isPlainObject(context)) {
    const cleaned = contextWithoutNulls(context);
    if (cleaned !== context) {
      if (result === event) result = { ...event };
      result.context = cleaned;
    }
  }
  return result;
}
