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
      // No fixed spill threshold: current releases spill a GROUP BY to disk once it holds half
      // the server's memory (max_bytes_ratio_before_external_group_by = 0.5), and the 1 GB one
      // these queries used to set made the 10 M-event funnel spill, 4.5 s instead of 1.6 s.
      // The SQL relies on these defaults (a lookup join's miss is '' / 0, a grouping set's
      // rolled-up key is ''); pinned so a server profile that changes them cannot.
      join_use_nulls: 0,
      group_by_use_nulls: 0,
      // A device's summary rows share a partition (device % 8): FINAL merges each partition on
      // its own, in parallel, and skips one already merged into a single part.
      do_not_merge_across_partitions_select_final: 1,
    },
  });
  const rows = await result.json<unknown>();
  return rows.map((r) => row.parse(r));
}
