/** Sends `total` fresh SDK-shaped events to a collector in batches, a few requests at a time. */
import { batchBody } from './payload.js';

export async function sendEvents(
  collectorUrl: string,
  total: number,
  { batchSize = 100, concurrency = 16 } = {},
): Promise<void> {
  let sent = 0;
  const worker = async () => {
    while (sent < total) {
      const size = Math.min(batchSize, total - sent);
      const seed = sent;
      sent += size;
      const res = await fetch(`${collectorUrl}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: batchBody(size, seed),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`collector answered ${res.status} while pre-filling`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
