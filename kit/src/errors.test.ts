import { describe, expect, it } from 'vitest';
import { CodedError, checkErrorDocs, defineErrors, errorBody } from './errors.js';

const ERRORS = defineErrors({
  WAYMARK_ERR_NOT_FOUND: { status: 404, message: 'no such route' },
  WAYMARK_ERR_RATE_LIMITED: { status: 429 },
});

const README = `
# A service

Answers \`429 WAYMARK_ERR_RATE_LIMITED\` when busy.

| code | status | meaning |
| --- | --- | --- |
| \`WAYMARK_ERR_NOT_FOUND\` | 404 | no such route |
| \`WAYMARK_ERR_RATE_LIMITED\` | 429    | slow down |
`;

describe('checkErrorDocs', () => {
  it('passes a README that documents exactly the codes, with their statuses', () => {
    expect(checkErrorDocs(ERRORS, README)).toEqual([]);
  });

  it('fails a code the README does not document', () => {
    const readme = README.replace(/^\| `WAYMARK_ERR_NOT_FOUND`.*$/m, '');
    expect(checkErrorDocs(ERRORS, readme)).toEqual([
      'WAYMARK_ERR_NOT_FOUND has no table row in the README',
    ]);
  });

  it('fails a documented code that no longer exists, in a table row or in prose', () => {
    const readme = `${README}| \`WAYMARK_ERR_GONE\` | 410 | removed |\nOr \`WAYMARK_ERR_OLD\`.\n`;
    expect(checkErrorDocs(ERRORS, readme)).toEqual([
      'the README documents WAYMARK_ERR_GONE, which is no longer an error code',
      'the README documents WAYMARK_ERR_OLD, which is no longer an error code',
    ]);
  });

  it('fails a code documented with another status, or twice', () => {
    expect(checkErrorDocs(ERRORS, README.replace('| 404 |', '| 400 |'))).toEqual([
      'WAYMARK_ERR_NOT_FOUND is documented with status 400, but answers 404',
    ]);
    expect(
      checkErrorDocs(ERRORS, `${README}| \`WAYMARK_ERR_NOT_FOUND\` | 404 | again |\n`),
    ).toEqual(['WAYMARK_ERR_NOT_FOUND has 2 table rows']);
  });
});

describe('the coded-error factory', () => {
  it('builds the uniform body, with the default message when none is given', () => {
    expect(errorBody(ERRORS, 'WAYMARK_ERR_NOT_FOUND')).toEqual({
      statusCode: 404,
      error: 'Not Found',
      code: 'WAYMARK_ERR_NOT_FOUND',
      message: 'no such route',
    });
    const err = new CodedError(ERRORS, 'WAYMARK_ERR_RATE_LIMITED', 'slow down', {
      headers: { 'retry-after': '1' },
      extra: { limit: 10 },
    });
    expect(err.statusCode).toBe(429);
    expect(err.headers).toEqual({ 'retry-after': '1' });
    expect(err.body()).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'WAYMARK_ERR_RATE_LIMITED',
      message: 'slow down',
      limit: 10,
    });
  });

  it('refuses a code without the prefix or a status that is not an HTTP error', () => {
    expect(() => defineErrors({ NOT_FOUND: { status: 404 } })).toThrow(/WAYMARK_ERR_/);
    expect(() => defineErrors({ WAYMARK_ERR_OK: { status: 200 } })).toThrow(/status 200/);
    expect(Object.isFrozen(ERRORS.WAYMARK_ERR_NOT_FOUND)).toBe(true);
  });
});
