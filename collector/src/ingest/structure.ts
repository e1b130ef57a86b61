/**
 * The shape limits of one raw event, checked before zod and before any recursive serialization:
 * nesting depth, string and key lengths, collection sizes, prototype-polluting keys, and strings
 * that are not well-formed Unicode. Recursion stops at the depth limit, so a hostile payload
 * nested 100,000 levels deep costs nothing.
 */

import { LIMITS } from '@waymark/contract/limits';
import type { EventErrorCode } from '../errors.js';

export interface StructureProblem {
  code: EventErrorCode;
  path: string;
  reason: string;
}

/** Keys that turn a naive merge (`Object.assign`, deep-merge helpers) into prototype pollution. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
declare global {
  interface String {
    /** ES2024, in every Node the collector supports (≥ 20): no lone UTF-16 surrogate. */
    isWellFormed(): boolean;
  }
}

/**
 * The path of the value being walked, as a stack of keys and indexes: joined into a dotted path
 * only when a problem is found, so a valid event builds no path strings at all.
 */
type PathStack = (string | number)[];

function problemAt(code: EventErrorCode, stack: PathStack, reason: string): StructureProblem {
  return { code, path: stack.join('.'), reason };
}

function checkString(
  s: string,
  stack: PathStack,
  what: 'string' | 'key',
): StructureProblem | undefined {
  const max = what === 'key' ? LIMITS.maxKeyLength : LIMITS.maxStringLength;
  if (s.length > max) {
    return problemAt(
      what === 'key' ? 'WAYMARK_ERR_EVENT_KEY_TOO_LONG' : 'WAYMARK_ERR_EVENT_STRING_TOO_LONG',
      stack,
      `${what} longer than the ${max}-character limit`,
    );
  }
  // A lone UTF-16 surrogate is not encodable as UTF-8, so not storable.
  if (!s.isWellFormed()) {
    return problemAt(
      'WAYMARK_ERR_EVENT_MALFORMED_STRING',
      stack,
      `${what} contains a lone UTF-16 surrogate (not valid Unicode)`,
    );
  }
  return undefined;
}

function walk(value: unknown, stack: PathStack, depth: number): StructureProblem | undefined {
  if (typeof value === 'string') return checkString(value, stack, 'string');
  if (value === null || typeof value !== 'object') return undefined;
  if (depth > LIMITS.maxDepth) {
    return problemAt(
      'WAYMARK_ERR_EVENT_TOO_DEEP',
      stack,
      `nested deeper than the ${LIMITS.maxDepth}-level limit`,
    );
  }
  if (Array.isArray(value)) {
    if (value.length > LIMITS.maxCollectionSize) {
      return problemAt(
        'WAYMARK_ERR_EVENT_TOO_MANY_ITEMS',
        stack,
        `array longer than the ${LIMITS.maxCollectionSize}-item limit`,
      );
    }
    for (let i = 0; i < value.length; i++) {
      stack.push(i);
      const problem = walk(value[i], stack, depth + 1);
      stack.pop();
      if (problem) return problem;
    }
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length > LIMITS.maxCollectionSize) {
    return problemAt(
      'WAYMARK_ERR_EVENT_TOO_MANY_ITEMS',
      stack,
      `object with more than the ${LIMITS.maxCollectionSize}-key limit`,
    );
  }
  for (const key of keys) {
    stack.push(key);
    const problem = FORBIDDEN_KEYS.has(key)
      ? problemAt(
          'WAYMARK_ERR_EVENT_FORBIDDEN_KEY',
          stack,
          `key "${key}" is not allowed (prototype pollution)`,
        )
      : (checkString(key, stack, 'key') ??
        walk((value as Record<string, unknown>)[key], stack, depth + 1));
    stack.pop();
    if (problem) return problem;
  }
  return undefined;
}

/** The first shape problem of a raw event (a parsed JSON value), or undefined. */
export function checkStructure(event: unknown): StructureProblem | undefined {
  return walk(event, [], 1);
}
