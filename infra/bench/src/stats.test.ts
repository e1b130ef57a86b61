import { expect, it } from 'vitest';
import { median, percentile } from './stats.js';

it('takes the middle value, or the mean of the two middle ones', () => {
  expect(median([5, 1, 3])).toBe(3);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([])).toBeNaN();
});

it('takes nearest-rank percentiles without sorting the input in place', () => {
  const values = [50, 10, 40, 20, 30, 60, 70, 80, 90, 100];
  expect(percentile(values, 50)).toBe(50);
  expect(percentile(values, 95)).toBe(100);
  expect(percentile(values, 0)).toBe(10);
  expect(values[0]).toBe(50);
});
