import { describe, expect, it } from 'vitest';
import { renewingProducer } from './kafka-client.js';

/** A stand-in producer: an id, and whether it was disposed. */
interface Fake {
  id: number;
  disposed: boolean;
}

function fakes(openFailures = 0) {
  const opened: Fake[] = [];
  let failuresLeft = openFailures;
  const lane = renewingProducer<Fake>(
    async () => {
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new Error('broker unreachable');
      }
      const fake = { id: opened.length + 1, disposed: false };
      opened.push(fake);
      return fake;
    },
    async (fake) => {
      fake.disposed = true;
    },
  );
  return { lane, opened };
}

describe('renewingProducer', () => {
  it('keeps one producer while sends succeed', async () => {
    const { lane, opened } = fakes();
    await lane.open();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await lane.use(async (p) => p.id));
    expect(ids).toEqual([1, 1, 1]);
    expect(opened).toHaveLength(1);
  });

  it('replaces the producer after a failed send, so no batch reuses its sequence numbers', async () => {
    const { lane, opened } = fakes();
    await lane.open();
    await expect(
      lane.use(async () => {
        throw new Error('request timed out');
      }),
    ).rejects.toThrow('request timed out');
    expect(await lane.use(async (p) => p.id)).toBe(2);
    expect(opened[0]?.disposed).toBe(true);
    expect(opened[1]?.disposed).toBe(false);
  });

  it('opens again on the next send when opening failed', async () => {
    const { lane } = fakes(1);
    await expect(lane.open()).rejects.toThrow('broker unreachable');
    expect(await lane.use(async (p) => p.id)).toBe(1);
  });

  it('disposes the producer on close', async () => {
    const { lane, opened } = fakes();
    await lane.open();
    await lane.close();
    expect(opened[0]?.disposed).toBe(true);
  });
});
