import { readFileSync } from 'node:fs';
import { checkErrorDocs } from '@waymark/kit/errors';
import { describe, expect, it } from 'vitest';
import { ERRORS, errorBody, WaymarkHttpError } from './errors.js';

describe('error codes', () => {
  it('README.md documents every code with its status, and no code that does not exist', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(checkErrorDocs(ERRORS, readme)).toEqual([]);
  });

  it('gives every error the same body shape', () => {
    const error = new WaymarkHttpError(
      'WAYMARK_ERR_INVALID_PARAMETER',
      'invalid query parameter "from"',
    );
    expect(error.statusCode).toBe(400);
    expect(error.toBody()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      code: 'WAYMARK_ERR_INVALID_PARAMETER',
      message: 'invalid query parameter "from"',
    });
    expect(errorBody('WAYMARK_ERR_STORE_UNAVAILABLE', 'x').error).toBe('Service Unavailable');
  });
});
