/** The person attributes a result can be split by: a closed list mapped to column names. */
export const BREAKDOWNS = [
  'none',
  'first_channel',
  'session_channel',
  'campaign',
  'device',
] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** The person-level column (from journeysSql / peopleSql) for each breakdown. */
export const BREAKDOWN_COLUMN: Record<Exclude<Breakdown, 'none'>, string> = {
  first_channel: 'first_channel',
  session_channel: 'session_channel',
  campaign: 'campaign',
  device: 'device',
};

/**
 * `ARRAY JOIN` that emits each row twice, once in its group and once in the total (`total` = 1,
 * `key` = ''), so one scan gives both (ClickHouse 18.16 has no WITH ROLLUP).
 */
export function withTotal(breakdown: Breakdown): { arrayJoin: string; key: string } {
  if (breakdown === 'none') return { arrayJoin: '', key: "'' AS key, 1 AS total" };
  const column = BREAKDOWN_COLUMN[breakdown];
  return {
    arrayJoin: 'ARRAY JOIN [0, 1] AS total',
    key: `if(total = 1, '', ${column}) AS key, total`,
  };
}
