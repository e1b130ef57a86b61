import { describe, expect, it } from 'vitest';
import { coalesce } from './coalesce.js';
import type { SinkBatch } from './kafka.js';
import { Withdrawal } from './withdrawal.js';

const one = (id: string): SinkBatch => ({ events: [{ key: 'k', value: id }], invalid: [] });

/** A produce that records its groups and settles each one when told. */
function manualProduce() {
  const groups: string[][] = [];
  const settle: ((err?: Error) => void)[] = [];
  const lanes: number[] = [];
  const produce = (batch: SinkBatch, lane: number) =>
    new Promise<void>((resolve, reject) => {
      groups.push(batch.events.map((e) => e.value));
      lanes.push(lane);
      settle.push((err) => (err ? reject(err) : resolve()));
    });
  return { groups, lanes, settle, produce };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('coalesce', () => {
  it('sends the first at once and gathers what arrives meanwhile into the next produce', async () => {
    const p = manualProduce();
    const send = coalesce(p.produce, 1000);
    const results = ['a', 'b', 'c'].map((id) => send(one(id)));
    await tick();
    expect(p.groups).toEqual([['a']]);
    p.settle[0]?.();
    await results[0];
    await tick();
    expect(p.groups).toEqual([['a'], ['b', 'c']]);
    p.settle[1]?.();
    await Promise.all(results);
  });

  it('fails only the callers whose records were in the failed produce', async () => {
    const p = manualProduce();
    const send = coalesce(p.produce, 1000);
    const a = send(one('a'));
    const b = send(one('b'));
    await tick();
    p.settle[0]?.(new Error('broker down'));
    await expect(a).rejects.toThrow('broker down');
    await tick();
    p.settle[1]?.();
    await expect(b).resolves.toBeUndefined();
  });

  it('withdraws waiting records on abort, so they never reach the producer', async () => {
    const p = manualProduce();
    const send = coalesce(p.produce, 1000);
    const a = send(one('a'));
    const withdrawal = new Withdrawal();
    const b = send(one('b'), withdrawal);
    withdrawal.withdraw(new Error('timed out'));
    await expect(b).rejects.toThrow('timed out');
    p.settle[0]?.();
    await a;
    await tick();
    expect(p.groups).toEqual([['a']]);
  });

  it('caps a group by bytes but always sends at least one caller', async () => {
    const p = manualProduce();
    const send = coalesce(p.produce, 4);
    const all = [send(one('xxxxxxxx')), send(one('y')), send(one('z')), send(one('w'))];
    await tick();
    p.settle[0]?.();
    await tick();
    // 'y','z' fit (1 + 1 key byte each); 'w' would pass 4 bytes.
    expect(p.groups).toEqual([['xxxxxxxx'], ['y', 'z']]);
    p.settle[1]?.();
    await tick();
    p.settle[2]?.();
    await Promise.all(all);
    expect(p.groups).toEqual([['xxxxxxxx'], ['y', 'z'], ['w']]);
  });

  it('keeps one group out per lane and gives a freed lane the next group', async () => {
    const p = manualProduce();
    const send = coalesce(p.produce, 1000, 2);
    const results = ['a', 'b', 'c', 'd'].map((id) => send(one(id)));
    await tick();
    expect(p.groups).toEqual([['a'], ['b']]);
    expect(new Set(p.lanes).size).toBe(2);
    p.settle[1]?.();
    await results[1];
    await tick();
    expect(p.groups).toEqual([['a'], ['b'], ['c', 'd']]);
    expect(p.lanes[2]).toBe(p.lanes[1]);
    p.settle[0]?.(new Error('broker down'));
    await expect(results[0]).rejects.toThrow('broker down');
    p.settle[2]?.();
    await Promise.all(results.slice(1));
    expect(p.groups).toHaveLength(3);
  });
});
