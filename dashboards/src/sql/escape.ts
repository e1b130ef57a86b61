/**
 * What server-side query parameters cannot carry. Values reach SQL as `{name:Type}` parameters
 * (params.ts); identifiers — the database and table names — cannot be parameters in every
 * position, so they are checked here against a strict pattern and backquoted. They come from
 * validated configuration and the schema's closed list of tables, never from a request.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** A database or table name: only plain identifiers are accepted, quoted with backticks. */
export function sqlIdentifier(name: string): string {
  if (!IDENTIFIER.test(name))
    throw new Error(`not a plain SQL identifier: ${JSON.stringify(name)}`);
  return `\`${name}\``;
}

/**
 * A ClickHouse string literal: backslash and quote escaped, control bytes spelled out.
 * Only for the CLI's seed check (cli/seed.ts), which does not bind parameters yet; the query
 * layer binds every value with SqlParams instead.
 * @deprecated bind values with `SqlParams` (params.ts).
 */
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
