/** autocannon against one URL with a rotating pool of distinct bodies, as a promise. */
import autocannon from 'autocannon';

export interface LoadResult {
  /** Requests answered 2xx per second. */
  okPerSecond: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export async function runLoad(
  url: string,
  bodies: readonly string[],
  seconds: number,
  connections: number,
): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        setupRequest: (request) => {
          next = (next + 1) % bodies.length;
          return { ...request, body: bodies[next] };
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    okPerSecond: ok / (result.duration || seconds),
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}
