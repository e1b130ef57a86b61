/**
 * The shape limits of one raw event, checked before zod and before any recursive serialization:
 * nesting depth, string and key lengths, collection sizes, prototype-polluting keys, and strings
 * that are not well-formed Unicode. Recursion stops at the depth limit, so a hostile payload
 * nested 100,000 levels deep costs nothing.
 */
import type { EventErrorCode } from '../errors.js';
import { LIMITS } from '../limits.js';

export interface StructureProblem {
  code: EventErrorCode;
  path: string;
  reason: string;
}

/** Keys that turn a naive merge (`Object.assign`, deep-merge helpers) into prototype pollution. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** A UTF-16 surrogate without its partner: not encodable as UTF-8, so not storable. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function checkString(
  s: string,
  path: string,
  what: 'string' | 'key',
): StructureProblem | undefined {
  const max = what === 'key' ? LIMITS.maxKeyLength : LIMITS.maxStringLength;
  if (s.length > max) {
    return {
      code: what === 'key' ? 'WAYMARK_ERR_EVENT_KEY_TOO_LONG' : 'WAYMARK_ERR_EVENT_STRING_TOO_LONG',
      path,
      reason: `${what} longer than the ${max}-character limit`,
    };
  }
  if (LONE_SURROGATE.test(s)) {
    return {
      code: 'WAYMARK_ERR_EVENT_MALFORMED_STRING',
      path,
      reason: `${what} contains a lone UTF-16 surrogate (not valid Unicode)`,
    };
  }
  return undefined;
}

function walk(value: unknown, path: string, depth: number): StructureProblem | undefined {
  if (typeof value === 'string') return checkString(value, path, 'string');
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > LIMITS.maxDepth) {
    return {
      code: 'WAYMARK_ERR_EVENT_TOO_DEEP',
      path,
      reason: `nested deeper than the ${LIMITS.maxDepth}-level limit`,
    };
  }
  if (Array.isArray(value)) {
    if (value.length > LIMITS.maxCollectionSize) {
      return {
        code: 'WAYMARK_ERR_EVENT_TOO_MANY_ITEMS',
        path,
        reason: `array longer than the ${LIMITS.maxCollectionSize}-item limit`,
      };
    }
    for (let i = 0; i < value.length; i++) {
      const problem = walk(value[i], `${path}.${i}`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length > LIMITS.maxCollectionSize) {
    return {
      code: 'WAYMARK_ERR_EVENT_TOO_MANY_ITEMS',
      path,
      reason: `object with more than the ${LIMITS.maxCollectionSize}-key limit`,
    };
  }
  for (const key of keys) {
    const keyPath = path === '' ? key : `${path}.${key}`;
    if (FORBIDDEN_KEYS.has(key)) {
      return {
        code: 'WAYMARK_ERR_EVENT_FORBIDDEN_KEY',
        path: keyPath,
        reason: `key "${key}" is not allowed (prototype pollution)`,
      };
    }
    const problem =
      checkString(key, keyPath, 'key') ??
      walk((value as Record<string, unknown>)[key], keyPath, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

/** The first shape problem of a raw event (a parsed JSON value), or undefined. */
export function checkStructure(event: unknown): StructureProblem | undefined {
  return walk(event, '', 1);
}
