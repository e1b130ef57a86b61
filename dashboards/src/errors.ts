/**
 * Every HTTP error the dashboards service answers with: one coded list, each code with its
 * status and what it means (README.md documents each; a test checks that). Bodies are always
 * `{ statusCode, error, code, message }`.
 */
export const ERRORS = {
  WAYMARK_ERR_UNAUTHORIZED: {
    statusCode: 401,
    description:
      'No read key, or one that belongs to no project: send `Authorization: Bearer <readKey>`.',
  },
  WAYMARK_ERR_FORBIDDEN: {
    statusCode: 403,
    description: 'The read key belongs to a disabled project.',
  },
  WAYMARK_ERR_INVALID_PARAMETER: {
    statusCode: 400,
    description: 'A query parameter is missing, unknown or out of range; the message names it.',
  },
  WAYMARK_ERR_NOT_FOUND: {
    statusCode: 404,
    description: 'No such route.',
  },
  WAYMARK_ERR_STORE_UNAVAILABLE: {
    statusCode: 503,
    description: 'ClickHouse did not answer or refused the query; retry later.',
  },
  WAYMARK_ERR_INTERNAL: {
    statusCode: 500,
    description: 'An unexpected failure; the service log has the details.',
  },
} as const satisfies Record<string, { statusCode: number; description: string }>;

export type ErrorCode = keyof typeof ERRORS;

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: ErrorCode;
  message: string;
}

export class WaymarkHttpError extends Error {
  override readonly name = 'WaymarkHttpError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  get statusCode(): number {
    return ERRORS[this.code].statusCode;
  }

  toBody(): ErrorBody {
    return errorBody(this.code, this.message);
  }
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  const { statusCode } = ERRORS[code];
  return { statusCode, error: REASONS[statusCode] ?? 'Error', code, message };
}
