/**
 * The collector's whole preparation of one raw event (structure, size, wire schema, identity,
 * time, IP, channel) up to its Kafka bytes, for contract tests that cross the collector →
 * processor boundary (infra/e2e), which import it by name instead of reaching into src/.
 */
import { type Prepared, prepareEvent, type RequestFacts } from '../ingest/event.js';
import { recordJson } from '../ingest/record-json.js';

export type { RequestFacts };

/** What the collector makes of a raw event: the Kafka key and value it produces, or the refusal. */
export function collectEvent(
  raw: unknown,
  facts: RequestFacts,
): { ok: true; key: string; value: string } | Extract<Prepared, { ok: false }> {
  const prepared = prepareEvent(raw, 0, facts);
  return prepared.ok
    ? { ok: true, key: prepared.key, value: recordJson(prepared.record) }
    : prepared;
}
