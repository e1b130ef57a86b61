import type { ChannelTouch } from '@waymark/contract/wire';
import { describe, expect, it } from 'vitest';
import { TouchMemo } from './touch-memo.js';

function countingClassifier() {
  const calls: string[] = [];
  const classify = ({ url, referrer }: { url: string; referrer: string }): ChannelTouch => {
    calls.push(`${url} ${referrer}`);
    return {
      channel: referrer === '' ? 'direct' : 'referral',
      source: url,
      medium: referrer,
      campaign: '',
      term: '',
      content: '',
      clickIdType: '',
      referrerHost: '',
    };
  };
  return { calls, classify };
}

describe('TouchMemo', () => {
  it('classifies a repeated touch once and hands out the same frozen answer', () => {
    const { calls, classify } = countingClassifier();
    const memo = new TouchMemo(classify);
    const first = memo.classify('https://a.example/?utm_source=x', 'https://b.example/');
    const again = memo.classify('https://a.example/?utm_source=x', 'https://b.example/');
    expect(again).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('tells touches apart by URL and by referrer, however they split', () => {
    const { calls, classify } = countingClassifier();
    const memo = new TouchMemo(classify);
    const a = memo.classify('https://a.example/x', 'y');
    const b = memo.classify('https://a.example/', 'xy');
    const c = memo.classify('https://a.example/x', '');
    expect([a.source, a.medium]).toEqual(['https://a.example/x', 'y']);
    expect([b.source, b.medium]).toEqual(['https://a.example/', 'xy']);
    expect(c.channel).toBe('direct');
    expect(calls).toHaveLength(3);
  });

  it('starts over when full and never keeps very long keys', () => {
    const { calls, classify } = countingClassifier();
    const memo = new TouchMemo(classify, 3);
    for (let i = 0; i < 3; i++) memo.classify(`u${i}`, '');
    expect(memo.size).toBe(3);
    memo.classify('u3', '');
    expect(memo.size).toBe(1);
    memo.classify('u0', '');
    expect(calls).toEqual(['u0 ', 'u1 ', 'u2 ', 'u3 ', 'u0 ']);
    const long = `https://a.example/?q=${'x'.repeat(5000)}`;
    memo.classify(long, '');
    memo.classify(long, '');
    expect(calls.filter((c) => c.startsWith(long))).toHaveLength(2);
    expect(memo.size).toBe(2);
  });
});
