/**
 * Request bodies: JSON sent as `application/json` or as `text/plain` (what `navigator.sendBeacon`
 * sends without a CORS preflight), optionally gzip-encoded (Segment's server libraries). The limit
 * applies to the decoded body, so a gzip bomb stops at 500 KB of output.
 */
import { isUtf8 } from 'node:buffer';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LIMITS } from '@waymark/contract/limits';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CollectorError } from '../errors.js';

const GZIP_ENCODINGS = new Set(['gzip', 'x-gzip']);

declare module 'fastify' {
  interface FastifyRequest {
    /** Bytes of the decoded body. */
    waymarkBodyBytes?: number;
    /** The body is gzip-encoded (Content-Encoding). */
    waymarkGzipped?: boolean;
  }
}

function parseJsonBody(body: Buffer): unknown {
  if (!isUtf8(body))
    throw new CollectorError('WAYMARK_ERR_INVALID_UTF8', 'body is not valid UTF-8');
  let text = body.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    // Plain JSON.parse: `__proto__` becomes an own property, never a prototype. Events carrying
    // such keys are refused one by one (ingest/structure.ts), so their neighbours still land.
    return JSON.parse(text);
  } catch (err) {
    throw new CollectorError(
      'WAYMARK_ERR_INVALID_JSON',
      `body is not valid JSON: ${(err as Error).message}`,
    );
  }
}

/** A stream that decodes gzip, fails past the byte limit, and reports the encoded length. */
function gunzipWithLimit(payload: NodeJS.ReadableStream): Transform {
  let decoded = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      decoded += chunk.length;
      if (decoded > LIMITS.maxBodyBytes) {
        callback(
          new CollectorError(
            'WAYMARK_ERR_BODY_TOO_LARGE',
            `decoded body exceeds the ${LIMITS.maxBodyBytes}-byte limit`,
          ),
        );
        return;
      }
      callback(null, chunk);
    },
  });
  // Fastify compares this with Content-Length (which counts encoded bytes).
  const counted = limited as Transform & { receivedEncodedLength: number };
  counted.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    counted.receivedEncodedLength += chunk.length;
  });
  const gunzip = createGunzip();
  // Errors are mapped per stage (pipeline() would forward the raw zlib error first).
  gunzip.on('error', (err) =>
    limited.destroy(
      new CollectorError('WAYMARK_ERR_INVALID_GZIP', `body is not valid gzip: ${err.message}`),
    ),
  );
  payload.on('error', (err) => limited.destroy(err));
  // Once we stop (limit hit, bad input), stop inflating: a gzip bomb costs no more CPU.
  limited.on('close', () => {
    payload.unpipe(gunzip);
    gunzip.destroy();
  });
  payload.pipe(gunzip).pipe(limited);
  return limited;
}

/**
 * The media types whose bodies are read as JSON: `application/json`; `text/plain`, what
 * `navigator.sendBeacon` and analytics.js send to avoid a CORS preflight; and
 * `application/x-www-form-urlencoded`, which @rudderstack/rudder-sdk-node puts on its gzipped
 * JSON batches.
 */
const JSON_MEDIA_TYPES = ['application/json', 'text/plain', 'application/x-www-form-urlencoded'];

export function registerBodyParsing(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parse = (
    request: FastifyRequest,
    body: Buffer,
    done: (err: Error | null, body?: unknown) => void,
  ) => {
    try {
      request.waymarkBodyBytes = body.length;
      done(null, parseJsonBody(body));
    } catch (err) {
      done(err as Error, undefined);
    }
  };
  app.addContentTypeParser(
    JSON_MEDIA_TYPES,
    { parseAs: 'buffer', bodyLimit: LIMITS.maxBodyBytes },
    (request, body, done) => parse(request, body as Buffer, done),
  );
  // Content-Encoding decides whether a body is gzip, whatever its Content-Type says: a gzipped
  // body of any (or no) media type is read as JSON, as Segment's API does.
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: LIMITS.maxBodyBytes },
    (request, body, done) => {
      if (request.waymarkGzipped) {
        parse(request, body as Buffer, done);
        return;
      }
      done(
        new CollectorError(
          'WAYMARK_ERR_UNSUPPORTED_MEDIA_TYPE',
          `content-type must be one of ${JSON_MEDIA_TYPES.join(', ')} (or any, with content-encoding gzip)`,
        ),
        undefined,
      );
    },
  );
  // Callback style: an async hook costs a promise on every request.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding === undefined || encoding === '' || encoding === 'identity') {
      done(null, payload);
      return;
    }
    if (!GZIP_ENCODINGS.has(encoding)) {
      done(
        new CollectorError(
          'WAYMARK_ERR_UNSUPPORTED_ENCODING',
          `content-encoding ${encoding.slice(0, 40)} is not supported: send gzip or none`,
        ),
      );
      return;
    }
    request.waymarkGzipped = true;
    done(null, gunzipWithLimit(payload));
  });
}
