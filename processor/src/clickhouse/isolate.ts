export interface Rejected<T> {
  item: T;
  reason: string;
}

/**
 * Inserts `items`; when the insert fails because of the rows themselves (`isRowDataError`),
 * splits the batch in halves until the offending rows are alone, and returns them with the
 * reason, so one bad row costs O(log n) extra inserts and never blocks the others. Any other
 * error is thrown (the caller retries it).
 */
export async function insertIsolatingBadRows<T>(
  items: readonly T[],
  insert: (items: readonly T[]) => Promise<void>,
  isRowDataError: (err: unknown) => boolean,
): Promise<Rejected<T>[]> {
  if (items.length === 0) return [];
  try {
    await insert(items);
    return [];
  } catch (err) {
    if (!isRowDataError(err)) throw err;
    const [only] = items;
    if (items.length === 1 && only !== undefined) {
      return [{ item: only, reason: err instanceof Error ? err.message : String(err) }];
    }
    const middle = Math.ceil(items.length / 2);
    const left = await insertIsolatingBadRows(items.slice(0, middle), insert, isRowDataError);
    const right = await insertIsolatingBadRows(items.slice(middle), insert, isRowDataError);
    return [...left, ...right];
  }
}
