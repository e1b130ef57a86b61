/**
 * The raw payload of a refused event as bounded JSON: deep nesting elided and the text cut at a
 * byte budget, so a hostile event (100,000 levels deep, 500 KB of string) can neither overflow the
 * stack nor bloat the invalid-events topic.
 */
const ELIDED = '"…"';

export function boundedJson(
  value: unknown,
  maxChars: number,
  maxDepth = 16,
): {
  json: string;
  truncated: boolean;
} {
  let truncated = false;
  const parts: string[] = [];
  let length = 0;
  const push = (text: string): boolean => {
    if (length + text.length > maxChars) {
      truncated = true;
      return false;
    }
    parts.push(text);
    length += text.length;
    return true;
  };
  const write = (v: unknown, depth: number): boolean => {
    if (v === null || typeof v !== 'object') {
      return push(v === undefined ? 'null' : (JSON.stringify(v) ?? 'null'));
    }
    if (depth > maxDepth) {
      truncated = true;
      return push(ELIDED);
    }
    if (Array.isArray(v)) {
      if (!push('[')) return false;
      for (let i = 0; i < v.length; i++) {
        if ((i > 0 && !push(',')) || !write(v[i], depth + 1)) return false;
      }
      return push(']');
    }
    if (!push('{')) return false;
    let first = true;
    for (const [k, item] of Object.entries(v)) {
      if ((!first && !push(',')) || !push(`${JSON.stringify(k)}:`) || !write(item, depth + 1)) {
        return false;
      }
      first = false;
    }
    return push('}');
  };
  write(value, 0);
  return { json: parts.join(''), truncated };
}
