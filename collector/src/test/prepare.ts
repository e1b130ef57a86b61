/**
 * The collector's whole preparation of one raw event (structure, size, wire schema, identity,
 * time, IP, channel) up to its Kafka bytes, for contract tests that cross the collector →
 * processor boundary (infra/e2e), which import it by name instead of reaching into src/.
 */
import { encodeRecords } from '@waymark/contract/record';
import { type Prepared, prepareEvent, type Rejection, type RequestFacts } from '../ingest/event.js';
import { RequestRecords } from '../ingest/records.js';

export type { RequestFacts };

/**
 * What the collector makes of a raw event: the Kafka key and the value it produces (a version-2
 * record holding it alone), or the refusal.
 */
export function collectEvent(
  raw: unknown,
  facts: RequestFacts,
): { ok: true; key: string; value: string } | Extract<Prepared, { ok: false }> {
  const prepared = prepareEvent(raw, 0, facts);
  return prepared.ok
    ? { ok: true, key: prepared.key, value: encodeRecords([prepared.record])[0] as string }
    : prepared;
}

/**
 * What the collector makes of a request's raw events: the Kafka records it produces (one per
 * person key, split at the record byte bound) and the refusals.
 */
export function collectBatch(
  raws: readonly unknown[],
  facts: RequestFacts,
): { records: { key: string; value: string }[]; accepted: number; rejected: Rejection[] } {
  const records = new RequestRecords();
  const rejected: Rejection[] = [];
  raws.forEach((raw, i) => {
    const prepared = prepareEvent(raw, i, facts);
    if (prepared.ok) records.add(prepared.key, prepared.record);
    else rejected.push(prepared.rejection);
  });
  return { records: records.records(), accepted: records.events, rejected };
}
