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
