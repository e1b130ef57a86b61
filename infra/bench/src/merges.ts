/**
 * Waiting out ClickHouse's background merges before a timing. A bulk insert lands in a few parts,
 * and the processor's views turn each part into journey_days rows that merges then combine: for
 * a minute or so after a load, merges take CPU from whatever is timed next on the same machine.
 */
import type { ClickHouseClient } from '@clickhouse/client';

/**
 * Resolves once no merge has run for 3 polls in a row (1 s apart) in `database`, or on the
 * whole server without one, or after `limitMs`; says how it went and what the parts are.
 */
export async function settleMerges(
  ch: ClickHouseClient,
  database?: string,
  limitMs = 300_000,
): Promise<string> {
  const where = database === undefined ? '' : ` WHERE database = '${database}'`;
  const started = performance.now();
  let quiet = 0;
  while (quiet < 3 && performance.now() - started < limitMs) {
    const rs = await ch.query({
      query: `SELECT count() AS n FROM system.merges${where}`,
      format: 'JSONEachRow',
    });
    const [row] = await rs.json<{ n: string | number }>();
    quiet = Number(row?.n ?? 0) === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const outcome = `background merges ${quiet >= 3 ? 'settled' : 'still running'} after ${seconds} s`;
  if (database === undefined) return outcome;
  const rs = await ch.query({
    query: `SELECT table, count() AS parts, sum(rows) AS rows FROM system.parts
      WHERE database = '${database}' AND active GROUP BY table ORDER BY table`,
    format: 'JSONEachRow',
  });
  const parts = await rs.json<{ table: string; parts: string | number; rows: string | number }>();
  return `${outcome} (${parts.map((p) => `${p.table}: ${p.rows} rows in ${p.parts} parts`).join(', ')})`;
}
