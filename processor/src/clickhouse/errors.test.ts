import { describe, expect, it } from 'vitest';
import { clickHouseErrorCode, isRowDataError } from './errors.js';

describe('ClickHouse error classification', () => {
  it('reads the code from a current server (parsed by the client)', () => {
    expect(clickHouseErrorCode(Object.assign(new Error('x'), { code: '27' }))).toBe('27');
  });

  it('reads the code from a ClickHouse 18.16 message the client leaves unparsed', () => {
    const err = new Error(
      'Code: 41, e.displayText() = DB::Exception: Cannot parse datetime: (while read the value of key t): (at row 1)\n, e.what() = DB::Exception',
    );
    expect(clickHouseErrorCode(err)).toBe('41');
    expect(isRowDataError(err)).toBe(true);
  });

  it('treats network failures and server trouble as retryable, not as bad rows', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), {
      code: 'ECONNREFUSED',
    });
    expect(clickHouseErrorCode(refused)).toBeUndefined();
    expect(isRowDataError(refused)).toBe(false);
    expect(
      isRowDataError(new Error('Code: 252, e.displayText() = DB::Exception: Too many parts')),
    ).toBe(false);
    expect(
      isRowDataError(
        new Error("Code: 60, e.displayText() = DB::Exception: Table x.events doesn't exist"),
      ),
    ).toBe(false);
  });
});
