/**
 * Instants as the text ClickHouse's DateTime columns and `{name:DateTime}` parameters parse
 * exactly: 'YYYY-MM-DD hh:mm:ss' (DateTime) or 'YYYY-MM-DD hh:mm:ss.sss' (DateTime64(3)), in UTC.
 */

/** 'YYYY-MM-DD hh:mm:ss.sss' UTC of epoch milliseconds: a `DateTime64(3, 'UTC')` value. */
export function clickHouseDateTime64(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23).replace('T', ' ');
}

/** 'YYYY-MM-DD hh:mm:ss' UTC of epoch milliseconds (the fraction dropped): a `DateTime` value. */
export function clickHouseDateTime(ms: number): string {
  return clickHouseDateTime64(ms).slice(0, 19);
}
