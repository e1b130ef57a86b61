/**
 * DOM helpers for the dashboard. Text from events (page paths, event names, campaigns) is
 * attacker-controlled, so it only ever reaches the page through textContent — there is no
 * innerHTML anywhere in the dashboard.
 */
type Child = Node | string | number | null;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: {
    className?: string;
    title?: string;
    testId?: string;
    style?: Partial<CSSStyleDeclaration>;
  } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.title) node.title = props.title;
  if (props.testId) node.dataset.testid = props.testId;
  if (props.style) Object.assign(node.style, props.style);
  for (const child of children) {
    if (child === null) continue;
    node.append(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing #${id}`);
  return node as T;
}

export type PanelState = 'loading' | 'ready' | 'empty' | 'error';

/** Sets a panel's state (CSS and tests read data-state) and its status line. */
export function setState(panel: HTMLElement, state: PanelState, message = ''): void {
  panel.dataset.state = state;
  panel.setAttribute('aria-busy', String(state === 'loading'));
  const status = panel.querySelector('.status');
  if (status) status.textContent = message;
}

export function table(
  target: HTMLTableElement,
  header: string[],
  rows: Child[][],
  numeric: boolean[] = [],
  testId?: (row: number, col: number) => string | undefined,
): void {
  const head = el(
    'thead',
    {},
    el('tr', {}, ...header.map((h, i) => el('th', { className: numeric[i] ? 'num' : '' }, h))),
  );
  const body = el(
    'tbody',
    {},
    ...rows.map((r, ri) =>
      el(
        'tr',
        {},
        ...r.map((c, ci) => {
          const id = testId?.(ri, ci);
          return el(
            'td',
            { className: numeric[ci] ? 'num' : 'break', ...(id ? { testId: id } : {}) },
            c,
          );
        }),
      ),
    ),
  );
  target.replaceChildren(head, body);
}

export const percent = (x: number | null): string =>
  x === null ? '–' : `${(x * 100).toFixed(1)}%`;

export function duration(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)}h`;
  return `${(seconds / 86400).toFixed(1)}d`;
}
