import type { ClickHouseClient } from '@clickhouse/client';
import type { z } from 'zod';

/** Runs one SELECT and validates every row: ClickHouse sends 64-bit integers as strings. */
export async function runQuery<T>(
  client: ClickHouseClient,
  query: string,
  row: z.ZodType<T>,
): Promise<T[]> {
  const result = await client.query({
    query,
    format: 'JSONEachRow',
    // Aggregations over a range can be large: spill instead of failing on a 2-core box.
    clickhouse_settings: { max_bytes_before_external_group_by: '1000000000' },
  });
  const rows = await result.json<unknown>();
  return rows.map((r) => row.parse(r));
}
