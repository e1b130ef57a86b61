import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';

/** One row as a JSONEachRow line. */
export function jsonEachRowLine(row: object): string {
  return `${JSON.stringify(row)}\n`;
}

/**
 * The rows as the fewest buffers: neighbours that are adjacent views of one buffer (a prepare
 * thread's rows) are sent as one view of it, uncopied; copying every row into one body cost the
 * event loop more than anything else it does per event.
 */
export function adjacentRuns(rows: readonly Uint8Array[]): Buffer[] {
  const runs: Buffer[] = [];
  let run: { buffer: ArrayBufferLike; start: number; end: number } | undefined;
  for (const row of rows) {
    if (row.byteLength === 0) continue;
    if (run && run.buffer === row.buffer && run.end === row.byteOffset) {
      run.end += row.byteLength;
      continue;
    }
    if (run) runs.push(Buffer.from(run.buffer, run.start, run.end - run.start));
    run = { buffer: row.buffer, start: row.byteOffset, end: row.byteOffset + row.byteLength };
  }
  if (run) runs.push(Buffer.from(run.buffer, run.start, run.end - run.start));
  return runs;
}

async function insertBody(
  clickhouse: ClickHouseClient,
  query: string,
  body: readonly (string | Buffer)[],
): Promise<void> {
  const { stream } = await clickhouse.exec({
    query,
    values: Readable.from(body, { objectMode: false }),
    // The processor batches itself (PROCESSOR_BATCH_ROWS / PROCESSOR_BATCH_MS) and commits once
    // this returns. Current releases buffer inserts server-side by default (async_insert=1),
    // which would add the buffer's flush delay to every batch and parse the rows once more.
    clickhouse_settings: { async_insert: 0 },
  });
  // An insert answers with an empty body; reading it to the end frees the socket for reuse.
  for await (const _chunk of stream);
}

/**
 * Inserts rows already serialized as JSONEachRow lines. `insert()` of @clickhouse/client only
 * takes objects, which it serializes when called: rows serialized earlier (while the previous
 * insert ran) keep ClickHouse from waiting on that work.
 */
export function insertJsonLines(
  clickhouse: ClickHouseClient,
  table: string,
  lines: readonly string[],
): Promise<void> {
  return insertBody(clickhouse, `INSERT INTO ${table} FORMAT JSONEachRow`, [lines.join('')]);
}

/** Inserts rows already encoded as RowBinary, their columns in `columns` order. */
export function insertRowBinary(
  clickhouse: ClickHouseClient,
  table: string,
  columns: readonly string[],
  rows: readonly Uint8Array[],
): Promise<void> {
  return insertBody(
    clickhouse,
    `INSERT INTO ${table} (${columns.join(', ')}) FORMAT RowBinary`,
    adjacentRuns(rows),
  );
}
