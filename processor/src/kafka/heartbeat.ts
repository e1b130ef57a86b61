// While a partition batch waits for its insert (for as long as an outage lasts), the member must
// keep heartbeating or the group evicts it; kafkajs sends at most one per heartbeatInterval.
export const HEARTBEAT_POLL_MS = 1000;

/**
 * Runs `work`, heartbeating meanwhile. A failed heartbeat (the group is rebalancing) aborts the
 * work's signal and rejects at once, so kafkajs can rejoin instead of waiting out an outage.
 */
export async function whileHeartbeating(
  work: (signal: AbortSignal) => Promise<void>,
  heartbeat: () => Promise<void>,
): Promise<void> {
  const abort = new AbortController();
  let beating: NodeJS.Timeout | undefined;
  const heartbeatFailed = new Promise<never>((_, reject) => {
    beating = setInterval(() => {
      heartbeat().catch((err: unknown) => {
        abort.abort(err);
        reject(err);
      });
    }, HEARTBEAT_POLL_MS);
  });
  try {
    await Promise.race([work(abort.signal), heartbeatFailed]);
  } finally {
    clearInterval(beating);
    heartbeatFailed.catch(() => undefined);
  }
}
