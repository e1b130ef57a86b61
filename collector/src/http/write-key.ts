/** The write key of a request: HTTP Basic user name (as Segment sends it), else `writeKey` in the body. */

export function writeKeyOf(authorization: string | undefined, body: unknown): string | undefined {
  if (authorization !== undefined && authorization.length > 6) {
    const scheme = authorization.slice(0, 6).toLowerCase();
    if (scheme === 'basic ') {
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon === -1 ? decoded : decoded.slice(0, colon);
      if (user !== '') return user;
    }
  }
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const key = (body as { writeKey?: unknown }).writeKey;
    if (typeof key === 'string' && key !== '') return key;
  }
  return undefined;
}
