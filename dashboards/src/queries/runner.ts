import type { ClickHouseClient } from '@clickhouse/client';
import type { z } from 'zod';
import type { BoundQuery } from '../sql/params.js';

/**
 * Runs one SELECT with its values as server-side parameters and validates every row:
 * ClickHouse sends 64-bit integers as strings.
 */
export async function runQuery<T>(
  client: ClickHouseClient,
  { query, params }: BoundQuery,
  row: z.ZodType<T>,
): Promise<T[]> {
  const result = await client.query({
    query,
    query_params: params,
    format: 'JSONEachRow',
    clickhouse_settings: {
      // Aggregations over a range can be large: spill instead of failing on a 2-core box.
      max_bytes_before_external_group_by: '1000000000',
      // The SQL relies on these defaults (a lookup join's miss is '' / 0, a grouping set's
      // rolled-up key is ''); pinned so a server profile that changes them cannot.
      join_use_nulls: 0,
      group_by_use_nulls: 0,
    },
  });
  const rows = await result.json<unknown>();
  return rows.map((r) => row.parse(r));
}
