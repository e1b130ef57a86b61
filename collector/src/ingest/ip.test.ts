import { describe, expect, it } from 'vitest';
import { anonymizeIp, normalizeIp, storedIp } from './ip.js';

describe('anonymizeIp', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0'],
    ['10.1.2.3', '10.1.2.0'],
    ['::ffff:198.51.100.9', '198.51.100.0'],
    ['2001:db8:85a3:8d3:1319:8a2e:370:7348', '2001:db8:85a3::'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8:0::'],
    ['2001:db8::1', '2001:db8:0::'],
    ['::1', '0:0:0::'],
    ['fe80::1%eth0', 'fe80:0:0::'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0::'],
    // 6to4 (2002::/16): the /48 is 2002 and the whole IPv4 address; that IPv4 is masked as /24.
    ['2002:cb00:7165::1', '2002:cb00:7100::'],
    ['2002:c633:6417:1:2:3:4:5', '2002:c633:6400::'],
    // Teredo (2001:0::/32): the client's IPv4 is in the last 32 bits (inverted: 192.0.2.45 is
    // 3fff:fdd2) and its port in the 16 before, which the /48 zeroes; the /48 keeps 2001:0 and
    // the first half of the Teredo server's IPv4 (a relay, not the user): less than a /24.
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001:0:4136::'],
    ['2001:0000:cb00:7165:0:fbff:34ff:ffb2', '2001:0:cb00::'],
    // Not Teredo: only 2001:0000::/32 is.
    ['2001:1:4136:e378::1', '2001:1:4136::'],
  ])('%s → %s', (ip, expected) => {
    expect(anonymizeIp(ip)).toBe(expected);
  });

  it.each(['', 'not-an-ip', '999.1.1.1', '1.2.3', '2001:db8:::1'])('rejects %j', (ip) => {
    expect(anonymizeIp(ip)).toBe('');
  });
});

describe('normalizeIp', () => {
  it('keeps valid addresses and drops anything else', () => {
    expect(normalizeIp('::ffff:198.51.100.9')).toBe('198.51.100.9');
    expect(normalizeIp('2001:DB8::1')).toBe('2001:db8::1');
    expect(normalizeIp('<script>')).toBe('');
  });
});

describe('storedIp', () => {
  it('prefers a valid context.ip, else the request address, anonymized unless kept', () => {
    expect(storedIp('198.51.100.9', '203.0.113.77', false)).toBe('198.51.100.0');
    expect(storedIp('198.51.100.9', '203.0.113.77', true)).toBe('198.51.100.9');
    expect(storedIp('<script>', '203.0.113.77', false)).toBe('203.0.113.0');
    expect(storedIp(undefined, '203.0.113.77', true)).toBe('203.0.113.77');
    expect(storedIp(undefined, 'nonsense', false)).toBe('');
  });

  it('answers each request address for itself, whatever came before', () => {
    const addresses = [
      '203.0.113.77',
      '::ffff:10.1.2.3',
      '203.0.113.77',
      '2001:db8::1',
      '2001:db8::1',
    ];
    expect(addresses.map((a) => storedIp(undefined, a, false))).toEqual([
      '203.0.113.0',
      '10.1.2.0',
      '203.0.113.0',
      '2001:db8:0::',
      '2001:db8:0::',
    ]);
    expect(addresses.map((a) => storedIp(undefined, a, true))).toEqual([
      '203.0.113.77',
      '10.1.2.3',
      '203.0.113.77',
      '2001:db8::1',
      '2001:db8::1',
    ]);
  });
});
