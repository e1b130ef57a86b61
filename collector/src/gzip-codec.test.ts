import { gunzipSync } from 'node:zlib';
import kafkajs from 'kafkajs';
import { afterEach, expect, it } from 'vitest';
import { useGzipLevel } from './gzip-codec.js';

const original = kafkajs.CompressionCodecs[kafkajs.CompressionTypes.GZIP];
afterEach(() => {
  kafkajs.CompressionCodecs[kafkajs.CompressionTypes.GZIP] = original;
});

it('compresses at the level asked, into gzip that reads back the same', async () => {
  // Varied enough that the levels differ (a deterministic pseudo-random walk over some words).
  const words = ['shop', 'cart', 'shoes', 'trail', 'runner', 'google', 'cpc', 'winter', 'sale'];
  let seed = 7;
  const next = () => {
    seed = (seed * 48_271) % 2_147_483_647;
    return seed;
  };
  const events = Array.from({ length: 400 }, () => ({
    path: `/${words[next() % words.length]}/${words[next() % words.length]}`,
    price: next() % 10_000,
    id: next().toString(36),
  }));
  const text = Buffer.from(JSON.stringify(events));
  const sizes: number[] = [];
  for (const level of [1, 9]) {
    useGzipLevel(level);
    const codec = kafkajs.CompressionCodecs[kafkajs.CompressionTypes.GZIP]();
    const compressed: Buffer = await codec.compress({ buffer: text });
    expect(gunzipSync(compressed).equals(text)).toBe(true);
    expect((await codec.decompress(compressed)).equals(text)).toBe(true);
    sizes.push(compressed.length);
  }
  expect(sizes[0]).toBeGreaterThan(sizes[1]!);
});
