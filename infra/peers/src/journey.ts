/**
 * The journey every peer test sends, in Segment's spec names as Segment users write them, and
 * what the pipeline must make of it: rows, channels, funnel and attribution.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import type { StoredEvent } from './store.js';

/** The shop's pages (server-side libraries send these URLs; browsers use the page server). */
export const SHOP = 'https://shop.example';

export const PRODUCT = {
  product_id: 'sku-42',
  sku: 'TRAIL-42',
  name: 'Trail Shoe',
  category: 'Shoes',
  price: 89.9,
  currency: 'EUR',
} as const;

/** JSON properties, as every library's types accept them. */
export interface Properties {
  [key: string]: string | number | boolean | Properties | Properties[];
}

/** `Order Completed` properties as the Segment e-commerce spec names them. */
export const orderOf = (orderId: string): Properties => ({
  order_id: orderId,
  revenue: 89.9,
  currency: 'EUR',
  products: [{ product_id: PRODUCT.product_id, sku: PRODUCT.sku, price: 89.9, quantity: 1 }],
});

/** A stored event reduced to what the journey decides: kind, ids, channels, money. */
export function shapeOf(row: StoredEvent) {
  return {
    type: row.type,
    event: row.event,
    anonymous_id: row.anonymous_id,
    user_id: row.user_id,
    session_channel: row.session_channel,
    first_channel: row.first_channel,
    revenue: row.revenue,
    order_id: row.order_id,
  };
}

export type Shape = ReturnType<typeof shapeOf>;

/** The shape with the fields a journey step does not set. */
export function step(s: Partial<Shape> & Pick<Shape, 'type' | 'session_channel'>): Shape {
  return {
    event: '',
    anonymous_id: '',
    user_id: '',
    first_channel: s.session_channel,
    revenue: 0,
    order_id: '',
    ...s,
  };
}

/**
 * Polls `read` until it answers `expected` (rows become visible to queries a moment after they
 * land) or 20 s pass; returns the last answer, for the test to compare and print.
 */
export async function settled<T>(read: () => Promise<T>, expected: T): Promise<T> {
  const deadline = Date.now() + 20_000;
  let last = await read();
  while (!isDeepStrictEqual(last, expected) && Date.now() < deadline) {
    await sleep(500);
    last = await read();
  }
  return last;
}

/**
 * The stored row of each expected step, found by kind and ids (not by position, so that a
 * wrong time order is reported once, by the shape check, and not as every later check failing).
 */
export function rowsOf(rows: readonly StoredEvent[], steps: readonly Shape[]) {
  const used = new Set<StoredEvent>();
  return steps.map((s) => {
    const row = rows.find(
      (r) =>
        !used.has(r) &&
        r.type === s.type &&
        r.event === s.event &&
        r.anonymous_id === s.anonymous_id &&
        (typeof s.user_id !== 'string' || r.user_id === s.user_id),
    );
    if (row) used.add(row);
    return row;
  });
}

/** Each expected step's stored row as a shape (undefined where none matches), in step order. */
export function shapesOf(rows: readonly StoredEvent[], steps: readonly Shape[]) {
  return rowsOf(rows, steps).map((r) => (r ? shapeOf(r) : undefined));
}
