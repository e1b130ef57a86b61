/**
 * Every HTTP error the dashboards service answers with: one coded list built with the kit's
 * factory, each code with its status and what it means (README.md documents each code and no
 * other; errors.test.ts checks both ways). Bodies are always `{ statusCode, error, code, message }`.
 */
import {
  type ErrorBody as Body,
  CodedError,
  defineErrors,
  errorBody as kitErrorBody,
} from '@waymark/kit/errors';

export const ERRORS = defineErrors({
  WAYMARK_ERR_UNAUTHORIZED: {
    status: 401,
    description:
      'No read key, or one that belongs to no project: send `Authorization: Bearer <readKey>`.',
  },
  WAYMARK_ERR_FORBIDDEN: {
    status: 403,
    description: 'The read key belongs to a disabled project.',
  },
  WAYMARK_ERR_INVALID_PARAMETER: {
    status: 400,
    description: 'A query parameter is missing, unknown or out of range; the message names it.',
  },
  WAYMARK_ERR_RATE_LIMITED: {
    status: 429,
    description:
      'Too many failed read keys from this address (`DASHBOARDS_AUTH_FAILURES_PER_IP` per window); `Retry-After` says when to try again.',
  },
  WAYMARK_ERR_NOT_FOUND: {
    status: 404,
    description: 'No such route.',
  },
  WAYMARK_ERR_STORE_UNAVAILABLE: {
    status: 503,
    description: 'ClickHouse did not answer or refused the query; retry later.',
  },
  WAYMARK_ERR_INTERNAL: {
    status: 500,
    description: 'An unexpected failure; the service log has the details.',
  },
} as const satisfies Record<string, { status: number; description: string }>);

export type ErrorCode = keyof typeof ERRORS;

export type ErrorBody = Body<ErrorCode>;

export class WaymarkHttpError extends CodedError<ErrorCode> {
  override readonly name = 'WaymarkHttpError';
  constructor(code: ErrorCode, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(ERRORS, code, message, { headers });
  }

  toBody(): ErrorBody {
    return errorBody(this.code, this.message);
  }
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return kitErrorBody(ERRORS, code, message);
}
