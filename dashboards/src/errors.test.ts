import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, errorBody, WaymarkHttpError } from './errors.js';

describe('error codes', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it.each(Object.entries(ERRORS))(
    '%s is documented in README.md with its status',
    (code, { statusCode }) => {
      const line = readme.split('\n').find((l) => l.includes(`\`${code}\``));
      expect(line, `README.md has no line for ${code}`).toBeDefined();
      expect(line).toContain(String(statusCode));
    },
  );

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
