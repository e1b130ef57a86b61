/**
 * Every HTTP error the processor answers with, one coded list (documented in README.md, which a
 * test checks). Bodies are always `{ statusCode, error, code, message }`.
 */
export const ERRORS = {
  WAYMARK_ERR_NOT_FOUND: { statusCode: 404, error: 'Not Found', message: 'no such endpoint' },
  WAYMARK_ERR_NOT_READY: {
    statusCode: 503,
    error: 'Service Unavailable',
    message: 'the processor is not consuming (starting, stopping or crashed)',
  },
  WAYMARK_ERR_INTERNAL: {
    statusCode: 500,
    error: 'Internal Server Error',
    message: 'unexpected error',
  },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: ErrorCode;
  message: string;
}

export function errorBody(code: ErrorCode, message?: string): ErrorBody {
  const { statusCode, error, message: fallback } = ERRORS[code];
  return { statusCode, error, code, message: message ?? fallback };
}
