/**
 * Request bodies: JSON sent as `application/json` or as `text/plain` (what `navigator.sendBeacon`
 * sends without a CORS preflight), optionally gzip-encoded (Segment's server libraries). The byte
 * limit applies to the bytes received and to the decoded body, so neither a gzip bomb (small in,
 * huge out) nor a stream of empty gzip members (huge in, nothing out) gets past 500 KB; and the
 * whole body must arrive within the body deadline, so a client trickling a byte at a time cannot
 * hold a request open.
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

const tooLarge = (what: string) =>
  new CollectorError(
    'WAYMARK_ERR_BODY_TOO_LARGE',
    `${what} body exceeds the ${LIMITS.maxBodyBytes}-byte limit`,
  );

/**
 * The body as received, failing past the byte limit, or once `deadlineMs` passed before its end:
 * then 408, and the connection is closed after the answer (the rest of the body is not read).
 */
function guardReceived(payload: NodeJS.ReadableStream, deadlineMs: number): Transform {
  let received = 0;
  const guarded = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      if (received > LIMITS.maxBodyBytes) callback(tooLarge('received'));
      else callback(null, chunk);
    },
  });
  const timer = setTimeout(() => {
    guarded.destroy(
      new CollectorError(
        'WAYMARK_ERR_BODY_TIMEOUT',
        `the body did not arrive within ${deadlineMs} ms`,
        { connection: 'close' },
      ),
    );
  }, deadlineMs);
  const settle = () => clearTimeout(timer);
  guarded.on('end', settle);
  guarded.on('close', settle);
  // Fastify stops listening once it has answered (e.g. 413): a later error must not go unheard.
  guarded.on('error', () => {});
  payload.on('error', (err) => guarded.destroy(err));
  // Once we stop (limit hit, deadline), stop reading what the client still sends.
  guarded.on('close', () => payload.unpipe(guarded));
  payload.pipe(guarded);
  return guarded;
}

/** A stream that decodes gzip, fails past the byte limit, and reports the encoded length. */
function gunzipWithLimit(payload: NodeJS.ReadableStream): Transform {
  let decoded = 0;
  const limited = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      decoded += chunk.length;
      if (decoded > LIMITS.maxBodyBytes) {
        callback(tooLarge('decoded'));
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

export function registerBodyParsing(app: FastifyInstance, bodyTimeoutMs: number): void {
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
    // Fastify reads a body only when one is announced; nothing to guard otherwise.
    const { 'content-length': length, 'transfer-encoding': chunked } = request.headers;
    if (length === undefined && chunked === undefined) {
      done(null, payload);
      return;
    }
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding === undefined || encoding === '' || encoding === 'identity') {
      done(null, guardReceived(payload, bodyTimeoutMs));
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
    done(null, gunzipWithLimit(guardReceived(payload, bodyTimeoutMs)));
  });
}
