import { readFileSync } from 'node:fs';
import { checkErrorDocs } from '@waymark/kit/errors';
import { describe, expect, it } from 'vitest';
import { ERRORS, errorBody } from './errors.js';

describe('error codes', () => {
  it('README.md documents every code with its status, and no code that does not exist', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(checkErrorDocs(ERRORS, readme)).toEqual([]);
  });

  it('gives every error the same body shape, with a default message', () => {
    expect(errorBody('WAYMARK_ERR_NOT_READY')).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      code: 'WAYMARK_ERR_NOT_READY',
      message: 'the processor is not consuming (starting, stopping or crashed)',
    });
  });
});
