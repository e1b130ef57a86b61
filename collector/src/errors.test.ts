import { readFileSync } from 'node:fs';
import { checkErrorDocs } from '@waymark/kit/errors';
import { describe, expect, it } from 'vitest';
import { CollectorError, ERRORS } from './errors.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('error codes', () => {
  it('README.md documents every code with its status, and no code that does not exist', () => {
    expect(checkErrorDocs(ERRORS, readme)).toEqual([]);
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
