/**
 * The Kafka value of a `CollectedEvent`: exactly the bytes of `JSON.stringify(record)`, built
 * faster. The session and first touch repeat in every event of a session and are shared, frozen
 * objects (ingest/touch.ts), so their JSON is kept beside them instead of being written again for
 * every event; the rest is serialized as usual, in the record's key order.
 */

import type { CollectedEvent } from '@waymark/contract/record';
import type { ChannelTouch } from '@waymark/contract/wire';

const touchJson = new WeakMap<ChannelTouch, string>();

function jsonOfTouch(touch: ChannelTouch): string {
  let json = touchJson.get(touch);
  if (json === undefined) {
    json = JSON.stringify(touch);
    // Only an object that cannot change may keep its JSON.
    if (Object.isFrozen(touch)) touchJson.set(touch, json);
  }
  return json;
}

export function recordJson(record: CollectedEvent): string {
  return (
    `{"projectId":${JSON.stringify(record.projectId)}` +
    `,"receivedAt":${JSON.stringify(record.receivedAt)}` +
    `,"timestamp":${JSON.stringify(record.timestamp)}` +
    `,"ip":${JSON.stringify(record.ip)}` +
    `,"sessionTouch":${jsonOfTouch(record.sessionTouch)}` +
    `,"firstTouch":${jsonOfTouch(record.firstTouch)}` +
    `,"event":${JSON.stringify(record.event)}}`
  );
}
