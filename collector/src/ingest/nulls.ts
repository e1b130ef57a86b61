/**
 * Segment's and RudderStack's libraries say "unknown" in their own ways: analytics.js sends
 * `"userId": null` on every anonymous event, RudderStack's browser SDK `"userId": ""`, and
 * `context.page.search: null`-style fields appear in the wild. Their APIs read those as absent, so
 * the collector does too: nulls are dropped from the event's own fields and from the known
 * context objects, and an empty `userId` or `anonymousId` is dropped, before validation. Nulls
 * inside `properties`, `traits` and other free-form JSON are data and stay.
 */
import { isPlainObject } from './plain-object.js';

/** The context objects whose fields the wire contract types (contract/src/wire.ts). */
const TYPED_CONTEXT_OBJECTS = ['page', 'campaign', 'library', 'waymark'] as const;

/** The ids whose empty string means "none" (RudderStack's browser SDK sends `userId: ""`). */
const EMPTY_MEANS_ABSENT = new Set(['userId', 'anonymousId']);

/** A copy of `object` without its null-valued keys, or `object` itself when it has none. */
function withoutNullFields(
  object: Record<string, unknown>,
  emptyIds = false,
): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    const value = object[key];
    if (value === null || (emptyIds && value === '' && EMPTY_MEANS_ABSENT.has(key))) {
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
 * The event with its libraries' "unknown" values removed (see the file comment). Returns the input
 * itself when it holds none, so the common case allocates nothing.
 */
export function withoutSegmentNulls(event: Record<string, unknown>): Record<string, unknown> {
  let result = withoutNullFields(event, true);
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
