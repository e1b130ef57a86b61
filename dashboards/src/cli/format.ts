/** Terminal tables and CSV for the CLI. Event-derived text is attacker-controlled: both escape it. */

export interface Table {
  header: string[];
  rows: (string | number | null)[][];
  /** Columns aligned right (numbers). */
  numeric?: boolean[];
}

// C0/C1 control characters, including ESC: no event name may move the cursor or recolour the
// terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const cell = (v: string | number | null): string => (v === null ? '–' : terminalSafe(String(v)));

export function renderTable(table: Table): string {
  const cells = [table.header.map(cell), ...table.rows.map((r) => r.map(cell))];
  const widths = table.header.map((_, i) =>
    Math.max(...cells.map((r) => [...(r[i] ?? '')].length)),
  );
  const line = (r: string[]) =>
    r
      .map((c, i) => {
        const pad = ' '.repeat((widths[i] ?? 0) - [...c].length);
        return table.numeric?.[i] ? pad + c : c + pad;
      })
      .join('  ')
      .trimEnd();
  const [head, ...body] = cells;
  return [line(head ?? []), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join(
    '\n',
  );
}

/** RFC 4180 fields; a leading = + - @ is defused so spreadsheets never run it as a formula. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function renderCsv(table: Table): string {
  return `${[table.header, ...table.rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export const percent = (x: number | null): string | null =>
  x === null ? null : `${(x * 100).toFixed(1)}%`;

export function duration(seconds: number | null): string | null {
  if (seconds === null) return null;
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86400).toFixed(1)}d`;
}
