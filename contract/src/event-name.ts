/**
 * Event names as people write them: `Order Completed` (Segment's spec), `order_completed`,
 * `order-completed` and `ORDER COMPLETED` are one event. Names are compared by their key:
 * ASCII letters lower-cased, every run of spaces, tabs, line breaks, underscores and hyphens one
 * underscore, none at either end. Only ASCII is folded, so the TypeScript side (stage rules,
 * filters) and the SQL side (stored names) give the same key for every string;
 * event-name.integration.test.ts checks the two against ClickHouse over generated names.
 */

const SEPARATORS = /[ \t\n\r_-]+/g;
const EDGES = /^_|_$/g;

/** The comparison key of an event name. */
export function eventNameKey(name: string): string {
  return name
    .replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
    .replace(SEPARATORS, '_')
    .replace(EDGES, '');
}

/**
 * The same key in ClickHouse SQL, of a column or expression (a fixed identifier, never input):
 * `lower` folds ASCII only, as eventNameKey does.
 */
export function eventNameKeySql(expression: string): string {
  return `replaceRegexpAll(replaceRegexpAll(lower(${expression}), '[ \\t\\n\\r_-]+', '_'), '^_|_$', '')`;
}
