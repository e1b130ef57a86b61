/**
 * Every error the collector answers with, in one coded list. Request-level errors are the HTTP
 * response (`{ statusCode, error, code, message }`); event-level ones appear per rejected event
 * in `rejected[]` and label the `waymark_collector_events_rejected_total` metric. README.md
 * documents each code, and no other (errors.test.ts checks both ways).
 */
import { type ErrorBody as Body, CodedError, defineErrors } from '@waymark/kit/errors';

export const ERRORS = defineErrors({
  // Request level.
  WAYMARK_ERR_MISSING_WRITE_KEY: { status: 401, scope: 'request' },
  WAYMARK_ERR_UNKNOWN_WRITE_KEY: { status: 401, scope: 'request' },
  WAYMARK_ERR_PROJECT_DISABLED: { status: 403, scope: 'request' },
  WAYMARK_ERR_ORIGIN_NOT_ALLOWED: { status: 403, scope: 'request' },
  WAYMARK_ERR_METRICS_UNAUTHORIZED: { status: 401, scope: 'request' },
  WAYMARK_ERR_NOT_FOUND: { status: 404, scope: 'request' },
  WAYMARK_ERR_INVALID_JSON: { status: 400, scope: 'request' },
  WAYMARK_ERR_INVALID_UTF8: { status: 400, scope: 'request' },
  WAYMARK_ERR_INVALID_GZIP: { status: 400, scope: 'request' },
  WAYMARK_ERR_INVALID_BODY: { status: 400, scope: 'request' },
  WAYMARK_ERR_NO_VALID_EVENTS: { status: 400, scope: 'request' },
  WAYMARK_ERR_BODY_TOO_LARGE: { status: 413, scope: 'request' },
  WAYMARK_ERR_TOO_MANY_EVENTS: { status: 413, scope: 'request' },
  WAYMARK_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, scope: 'request' },
  WAYMARK_ERR_UNSUPPORTED_ENCODING: { status: 415, scope: 'request' },
  WAYMARK_ERR_RATE_LIMITED: { status: 429, scope: 'request' },
  WAYMARK_ERR_TOO_MANY_CONNECTIONS: { status: 429, scope: 'request' },
  WAYMARK_ERR_BODY_TIMEOUT: { status: 408, scope: 'request' },
  WAYMARK_ERR_INTERNAL: { status: 500, scope: 'request' },
  WAYMARK_ERR_BROKER_UNAVAILABLE: { status: 503, scope: 'request' },
  WAYMARK_ERR_OVERLOADED: { status: 503, scope: 'request' },
  WAYMARK_ERR_SHUTTING_DOWN: { status: 503, scope: 'request' },
  // Event level: one event of a batch rejected, its neighbours unaffected.
  WAYMARK_ERR_EVENT_NOT_OBJECT: { status: 400, scope: 'event' },
  WAYMARK_ERR_EVENT_TOO_LARGE: { status: 413, scope: 'event' },
  WAYMARK_ERR_EVENT_TOO_DEEP: { status: 400, scope: 'event' },
  WAYMARK_ERR_EVENT_STRING_TOO_LONG: { status: 400, scope: 'event' },
  WAYMARK_ERR_EVENT_KEY_TOO_LONG: { status: 400, scope: 'event' },
  WAYMARK_ERR_EVENT_TOO_MANY_ITEMS: { status: 400, scope: 'event' },
  WAYMARK_ERR_EVENT_FORBIDDEN_KEY: { status: 400, scope: 'event' },
  WAYMARK_ERR_EVENT_MALFORMED_STRING: { status: 400, scope: 'event' },
  WAYMARK_ERR_EVENT_SCHEMA: { status: 400, scope: 'event' },
  WAYMARK_ERR_EVENT_NO_IDENTITY: { status: 400, scope: 'event' },
  WAYMARK_ERR_EVENT_TIMESTAMP: { status: 400, scope: 'event' },
} as const satisfies Record<string, { status: number; scope: 'request' | 'event' }>);

export type ErrorCode = keyof typeof ERRORS;
export type EventErrorCode = {
  [K in ErrorCode]: (typeof ERRORS)[K]['scope'] extends 'event' ? K : never;
}[ErrorCode];

export type ErrorBody = Body<ErrorCode>;

/** An error that becomes a coded HTTP response; `headers` e.g. Retry-After. */
export class CollectorError extends CodedError<ErrorCode> {
  override readonly name = 'CollectorError';
  constructor(
    code: ErrorCode,
    message: string,
    headers: Readonly<Record<string, string>> = {},
    extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(ERRORS, code, message, { headers, extra });
  }
}
