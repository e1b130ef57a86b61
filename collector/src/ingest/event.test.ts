import { LIMITS } from '@waymark/contract/limits';
import { describe, expect, it } from 'vitest';
import { prepareEvent, type RequestFacts } from './event.js';

const facts = (extra: Partial<RequestFacts> = {}): RequestFacts => ({
  projectId: 'shop',
  keepIp: false,
  receivedAtMs: Date.parse('2026-11-20T12:00:00.000Z'),
  receivedAt: '2026-11-20T12:00:00.000Z',
  requestIp: '2001:db8:85a3:1::7',
  bodyBytes: LIMITS.maxBodyBytes,
  sentAt: undefined,
  context: undefined,
  type: undefined,
  ...extra,
});

describe('prepareEvent', () => {
  it('merges the batch context under the event context and uses the batch sentAt', () => {
    const prepared = prepareEvent(
      {
        type: 'track',
        event: 'x',
        anonymousId: 'a',
        timestamp: '2026-11-20T12:30:00.000Z',
        context: { locale: 'fr-FR' },
      },
      0,
      facts({
        sentAt: '2026-11-20T12:31:00.000Z',
        context: { locale: 'en-GB', userAgent: 'batch-agent' },
      }),
    );
    expect(prepared.ok && prepared.record).toMatchObject({
      timestamp: '2026-11-20T11:59:00.000Z',
      ip: '2001:db8:85a3::',
      event: { context: { locale: 'fr-FR', userAgent: 'batch-agent' } },
    });
  });

  it('lets the path decide the type and drops fields outside the contract', () => {
    const prepared = prepareEvent(
      { type: 'track', userId: 'u', writeKey: 'wk_secret_in_body', _metadata: { x: 1 } },
      0,
      facts({ type: 'identify' }),
    );
    expect(prepared.ok).toBe(true);
    if (!prepared.ok) return;
    expect(prepared.key).toBe('shop:u');
    expect(prepared.record.event.type).toBe('identify');
    expect(prepared.record.event).not.toHaveProperty('writeKey');
    expect(prepared.record.event).not.toHaveProperty('_metadata');
  });

  it('measures events when the body is large enough to hold an oversized one', () => {
    const big = {
      type: 'track',
      event: 'x',
      anonymousId: 'a',
      properties: {} as Record<string, string>,
    };
    for (let i = 0; i < 5; i++) big.properties[`p${i}`] = 'y'.repeat(8000);
    const prepared = prepareEvent(big, 3, facts());
    expect(prepared.ok ? undefined : prepared.rejection).toMatchObject({
      index: 3,
      code: 'WAYMARK_ERR_EVENT_TOO_LARGE',
    });
  });
});
