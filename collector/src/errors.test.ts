import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CollectorError, ERRORS, type ErrorCode } from './errors.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('error codes', () => {
  it.each(Object.keys(ERRORS))('%s is documented in README.md with its status', (code) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${code}\``));
    expect(row, `README.md has no table row for ${code}`).toBeDefined();
    expect(row).toContain(`| ${ERRORS[code as ErrorCode].status} `);
  });

  it('renders the uniform error body', () => {
    expect(new CollectorError('WAYMARK_ERR_RATE_LIMITED', 'slow down').body()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'WAYMARK_ERR_RATE_LIMITED',
      message: 'slow down',
    });
  });
});
