/**
 * ClickHouse error codes that mean "this input is bad", as opposed to "the server cannot take it
 * now". Only these make the loader look for the offending rows and dead-letter them; any other
 * failure (connection refused, timeout, too many parts, out of memory, missing table) is retried,
 * because dead-lettering every row during an outage or a schema accident would lose data.
 * Codes: https://github.com/ClickHouse/ClickHouse/blob/master/src/Common/ErrorCodes.cpp
 */
const ROW_DATA_ERROR_CODES = new Set([
  '6', // CANNOT_PARSE_TEXT
  '25', // CANNOT_PARSE_ESCAPE_SEQUENCE
  '26', // CANNOT_PARSE_QUOTED_STRING
  '27', // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  '38', // CANNOT_PARSE_DATE
  '41', // CANNOT_PARSE_DATETIME
  '53', // TYPE_MISMATCH
  '69', // ARGUMENT_OUT_OF_BOUND
  '70', // CANNOT_CONVERT_TYPE
  '72', // CANNOT_PARSE_NUMBER
  '117', // INCORRECT_DATA
  '131', // TOO_LARGE_STRING_SIZE
  '321', // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
]);

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

/** True when ClickHouse rejected the rows themselves (retrying the same rows cannot help). */
export function isRowDataError(err: unknown): boolean {
  const code = clickHouseErrorCode(err);
  return code !== undefined && ROW_DATA_ERROR_CODES.has(code);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
