/**
 * Stage-relevant fields from Segment's e-commerce spec
 * (https://segment.com/docs/connections/spec/ecommerce/v2/): `revenue`, else `total`, else
 * `value`; `currency`; `order_id` (or `orderId`, `checkout_id`).
 */
export interface CommerceFields {
  revenue: number;
  currency: string;
  order_id: string;
}

const REVENUE_KEYS = ['revenue', 'total', 'value'] as const;
const ORDER_ID_KEYS = ['order_id', 'orderId', 'checkout_id'] as const;

function amount(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function label(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function commerceFields(properties: Record<string, unknown>): CommerceFields {
  let revenue = 0;
  for (const key of REVENUE_KEYS) {
    const found = amount(properties[key]);
    if (found !== undefined) {
      revenue = found;
      break;
    }
  }
  let orderId = '';
  for (const key of ORDER_ID_KEYS) {
    const found = label(properties[key]);
    if (found !== undefined) {
      orderId = found;
      break;
    }
  }
  const currency = label(properties.currency);
  return { revenue, currency: currency ? currency.toUpperCase() : '', order_id: orderId };
}
