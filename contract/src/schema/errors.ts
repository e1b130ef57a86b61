/**
 * The server's error code, when ClickHouse answered with an error (rather than not at all):
 * @clickhouse/client parses it from a current server's answer (24.8 LTS and later) into the
 * ClickHouseError's `code`, a string of digits. Network errors have codes too ('ECONNREFUSED'),
 * which are not the server's. (ClickHouse 18.16's "Code: 41, e.displayText() = …" answers,
 * which the client did not parse, are no longer read: that release is not supported.)
 */
export function clickHouseErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code } = err as { code?: unknown };
  return typeof code === 'string' && /^\d+$/.test(code) ? code : undefined;
}
