import { describe, expect, it } from 'vitest';
import { commerceFields } from './commerce.js';

describe('commerceFields', () => {
  it.each([
    [{ revenue: 10, total: 12, value: 3 }, 10],
    [{ total: 12, value: 3 }, 12],
    [{ value: '3.5' }, 3.5],
    [{ revenue: 'lots' }, 0],
    [{ revenue: null, total: 7 }, 7],
    [{}, 0],
  ])('takes revenue, else total, else value: %j → %d', (properties, revenue) => {
    expect(commerceFields(properties).revenue).toBe(revenue);
  });

  it('reads currency and order id from the standard names', () => {
    expect(commerceFields({ currency: 'usd', orderId: 42 })).toEqual({
      revenue: 0,
      currency: 'USD',
      order_id: '42',
    });
    expect(commerceFields({ checkout_id: 'c1' }).order_id).toBe('c1');
  });
});
