import { expect, it } from 'vitest';
import { BENCHES, parseBenchArgs, UsageError } from './args.js';

it('runs every benchmark, three times, and updates the README by default', () => {
  expect(parseBenchArgs([])).toEqual({ quick: false, only: BENCHES, runs: 3, updateReadme: true });
});

it('reads --quick, --only (in the canonical order), --runs and --no-readme', () => {
  expect(parseBenchArgs(['--quick', '--only', 'loader,sdk', '--runs=5', '--no-readme'])).toEqual({
    quick: true,
    only: ['sdk', 'loader'],
    runs: 5,
    updateReadme: false,
  });
});

it('names the Kafka client comparison kafka, between collector and loader', () => {
  expect(parseBenchArgs(['--only', 'loader,kafka,collector']).only).toEqual([
    'collector',
    'kafka',
    'loader',
  ]);
});

it.each([
  [['--only', 'collector,kafkajs'], 'unknown benchmark kafkajs'],
  [['--only'], '--only needs a value'],
  [['--only', '--quick'], '--only needs a value'],
  [['--runs', '2'], '--runs: an integer 3..15'],
  [['--runs', 'x'], '--runs: an integer 3..15'],
  [['--fast'], 'unknown argument --fast'],
])('refuses %j', (argv, message) => {
  expect(() => parseBenchArgs(argv)).toThrow(UsageError);
  expect(() => parseBenchArgs(argv)).toThrow(message);
});
