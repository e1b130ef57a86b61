/**
 * A request's accepted events → its Kafka records: one version-2 record per person key
 * (contract/src/record.ts), holding that person's events of the request in order, split where
 * one would pass the record byte bound. The key keeps a person's events in one partition.
 */
import { type CollectedEvent, encodeRecords } from '@waymark/contract/record';
import type { ProducedRecord } from '../kafka.js';

export class RequestRecords {
  private readonly byKey = new Map<string, CollectedEvent[]>();
  /** Events added. */
  events = 0;

  add(key: string, event: CollectedEvent): void {
    this.events++;
    const group = this.byKey.get(key);
    if (group === undefined) this.byKey.set(key, [event]);
    else group.push(event);
  }

  /** The records to produce (a person's several records stay in order). */
  records(): ProducedRecord[] {
    const records: ProducedRecord[] = [];
    for (const [key, events] of this.byKey) {
      for (const value of encodeRecords(events)) records.push({ key, value });
    }
    return records;
  }
}
