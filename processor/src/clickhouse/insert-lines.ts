import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';

/** One row as a JSONEachRow line. */
export function jsonEachRowLine(row: object): string {
  return `${JSON.stringify(row)}\n`;
}

/** The lines back to back: bytes copied as they are, text encoded once. */
function bodyOf(lines: readonly (string | Uint8Array)[]): string | Buffer {
  if (lines.every((line) => typeof line === 'string')) return lines.join('');
  return Buffer.concat(lines.map((line) => (typeof line === 'string' ? Buffer.from(line) : line)));
}

/**
 * Inserts rows already serialized as JSONEachRow lines. `insert()` of @clickhouse/client only
 * takes objects, which it serializes when called: rows serialized earlier (while the previous
 * insert ran) keep ClickHouse from waiting on that work.
 */
export async function insertJsonLines(
  clickhouse: ClickHouseClient,
  table: string,
  lines: readonly (string | Uint8Array)[],
): Promise<void> {
  const { stream } = await clickhouse.exec({
    query: `INSERT INTO ${table} FORMAT JSONEachRow`,
    values: Readable.from([bodyOf(lines)], { objectMode: false }),
    // The processor batches itself (PROCESSOR_BATCH_ROWS / PROCESSOR_BATCH_MS) and commits once
    // this returns. Current releases buffer inserts server-side by default (async_insert=1),
    // which would add the buffer's flush delay to every batch and parse the rows once more.
    clickhouse_settings: { async_insert: 0 },
  });
  // An insert answers with an empty body; reading it to the end frees the socket for reuse.
  for await (const _chunk of stream);
}
