import { describe, expect, it } from 'vitest';
import { csvField, duration, renderCsv, renderTable, terminalSafe } from './format.js';

describe('terminal output', () => {
  it('spells out control characters so event names cannot drive the terminal', () => {
    expect(terminalSafe('\u001b[2Jpwned\u0007\r\n')).toBe('\\x1b[2Jpwned\\x07\\x0d\\x0a');
    expect(terminalSafe('café ✓')).toBe('café ✓');
  });

  it('aligns columns, numbers to the right', () => {
    const out = renderTable({
      header: ['name', 'n'],
      numeric: [false, true],
      rows: [
        ['a', 5],
        ['long name', 120],
        ['x', null],
      ],
    });
    expect(out.split('\n')).toEqual([
      'name         n',
      '─────────  ───',
      'a            5',
      'long name  120',
      'x            –',
    ]);
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
    expect(renderCsv({ header: ['a', 'b'], rows: [['x', 1]] })).toBe('a,b\r\nx,1\r\n');
  });
});

describe('duration', () => {
  it('reads like a person would say it', () => {
    expect([
      duration(45),
      duration(180),
      duration(72_480),
      duration(255_300),
      duration(null),
    ]).toEqual(['45s', '3m', '20.1h', '3.0d', null]);
  });
});
