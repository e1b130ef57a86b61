import { clickHouseErrorCode } from '@waymark/contract/schema';

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

/** True when ClickHouse rejected the rows themselves (retrying the same rows cannot help). */
export function isRowDataError(err: unknown): boolean {
  const code = clickHouseErrorCode(err);
  return code !== undefined && ROW_DATA_ERROR_CODES.has(code);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
