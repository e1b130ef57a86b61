/**
 * Every HTTP error the processor answers with, one coded list built with the kit's factory:
 * README.md documents each code and no other (errors.test.ts checks both ways). Bodies are
 * always `{ statusCode, error, code, message }`.
 */
import {
  type ErrorBody as Body,
  defineErrors,
  errorBody as kitErrorBody,
} from '@waymark/kit/errors';

export const ERRORS = defineErrors({
  WAYMARK_ERR_NOT_FOUND: { status: 404, message: 'no such endpoint' },
  WAYMARK_ERR_NOT_READY: {
    status: 503,
    message: 'the processor is not consuming (starting, stopping or crashed)',
  },
  WAYMARK_ERR_STALLED: {
    status: 503,
    message: 'loading has made no progress for PROCESSOR_STALL_TIMEOUT_MS while messages wait',
  },
  WAYMARK_ERR_INTERNAL: { status: 500, message: 'unexpected error' },
});

export type ErrorCode = keyof typeof ERRORS;
export type ErrorBody = Body<ErrorCode>;

export function errorBody(code: ErrorCode, message?: string): ErrorBody {
  return kitErrorBody(ERRORS, code, message);
}
