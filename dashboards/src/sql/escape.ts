/**
 * The one place values become SQL text. ClickHouse 18.16 has no server-side query parameters,
 * so every value is escaped here and every structural choice (column, model, bucket) comes from
 * a closed list validated before it reaches a builder.
 */

/** A ClickHouse string literal: backslash and quote escaped, control bytes spelled out. */
export function sqlString(value: string): string {
  let out = "'";
  for (const char of value) {
    switch (char) {
      case '\\':
        out += '\\\\';
        break;
      case "'":
        out += "\\'";
        break;
      case '\0':
        out += '\\0';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        out += char;
    }
  }
  return `${out}'`;
}

/** `(a, b, c)` for `IN`; never empty (callers skip the predicate when there is nothing). */
export function sqlStringList(values: readonly string[]): string {
  if (values.length === 0) throw new Error('sqlStringList needs at least one value');
  return `(${values.map(sqlString).join(', ')})`;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A database or table name: only plain identifiers are accepted, quoted with backticks. */
export function sqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name))
    throw new Error(`not a plain SQL identifier: ${JSON.stringify(name)}`);
  return `\`${name}\``;
}

/** A finite number as SQL text (integers stay integers). */
export function sqlNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return String(value);
}
