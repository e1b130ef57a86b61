/**
 * One warning line per refused request (4xx), so an operator sees why a library's traffic is
 * not arriving without reading counters: the status, the code, the method and path (no query
 * string), and the library's user agent — never the payload, the key or the client's address.
 * Rate-limited: a misconfigured client sends thousands of requests a second, so at most
 * `perWindow` lines per window are written and the next line written says how many were left out.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';

export interface RefusalLogOptions {
  perWindow: number;
  windowMs: number;
  now?: () => number;
}

export interface Refusal {
  statusCode: number;
  code: string;
}

export class RefusalLog {
  private windowStart = 0;
  private written = 0;
  private suppressed = 0;
  private readonly now: () => number;

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly options: RefusalLogOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  refused(request: FastifyRequest, refusal: Refusal): void {
    const now = this.now();
    if (now - this.windowStart >= this.options.windowMs) {
      this.windowStart = now;
      this.written = 0;
    }
    if (this.written >= this.options.perWindow) {
      this.suppressed++;
      return;
    }
    this.written++;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    const agent = request.headers['user-agent'];
    this.log.warn(
      {
        status: refusal.statusCode,
        code: refusal.code,
        method: request.method,
        path: request.url.split('?')[0]?.slice(0, 100),
        ...(agent ? { userAgent: agent.slice(0, 120) } : {}),
        ...(suppressed > 0 ? { suppressedSinceLastLine: suppressed } : {}),
      },
      'request refused',
    );
  }
}
