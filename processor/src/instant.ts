// An ISO-8601 instant in UTC ('Z') with whole seconds written out, any fraction after them.
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

/**
 * 'YYYY-MM-DDThh:mm:ss' of an ISO-8601 UTC instant — which alone decides the instant's whole
 * second, since a fraction only adds less than one — or undefined for any other text. Events
 * arrive close together, so per-second results memoised under this key are mostly hits.
 */
export function utcSecondOf(iso: string): string | undefined {
  return ISO_UTC.test(iso) ? iso.slice(0, 19) : undefined;
}
