import { clickHouseErrorCode } from '@waymark/contract/schema';
import { describe, expect, it } from 'vitest';
import { isRowDataError } from './errors.js';

describe('ClickHouse error classification', () => {
  it('reads the code from a current server (parsed by the client)', () => {
    expect(clickHouseErrorCode(Object.assign(new Error('x'), { code: '27' }))).toBe('27');
  });

  it('treats a parse error of a current server as bad rows', () => {
    // What @clickhouse/client throws for a row a DateTime64 column cannot read (26.9).
    const err = Object.assign(
      new Error('Cannot read DateTime: unexpected word: (while reading the value of key t)'),
      { code: '41', type: 'CANNOT_PARSE_DATETIME' },
    );
    expect(isRowDataError(err)).toBe(true);
  });

  it('treats network failures and server trouble as retryable, not as bad rows', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), {
      code: 'ECONNREFUSED',
    });
    expect(clickHouseErrorCode(refused)).toBeUndefined();
    expect(isRowDataError(refused)).toBe(false);
    const serverError = (code: string, type: string) =>
      Object.assign(new Error(type), { code, type });
    expect(isRowDataError(serverError('252', 'TOO_MANY_PARTS'))).toBe(false);
    // e.g. for a moment while a migration swaps events
    expect(isRowDataError(serverError('60', 'UNKNOWN_TABLE'))).toBe(false);
    expect(clickHouseErrorCode(serverError('60', 'UNKNOWN_TABLE'))).toBe('60');
    // A message that merely looks like a server answer is not one.
    expect(clickHouseErrorCode(new Error('Code: 41. DB::Exception: …'))).toBeUndefined();
  });
});
