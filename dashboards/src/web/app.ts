/**
 * The dashboard page: reads the read key from the URL fragment (#key=…, never sent to the
 * server in a URL), calls /api/v1 with the filters, and draws each answer with Chart.js.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { AttributionResult } from '../queries/attribution.js';
import type { DropoffGroup, DropoffResult } from '../queries/dropoff.js';
import type { FunnelResult } from '../queries/funnel.js';
import type { RetentionResult } from '../queries/retention.js';
import type { TrendsResult } from '../queries/trends.js';
import { byId, duration, el, percent, setState, table } from './dom.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

const CHANNELS = ['direct', 'referral', 'organic', 'paid', 'social', 'email', 'display'];
const COLORS = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#9c755f',
];
const MODEL_LABELS: Record<string, string> = {
  first_touch: 'first touch',
  last_touch: 'last touch',
  last_non_direct: 'last non-direct',
  linear: 'linear',
  time_decay: 'time decay',
  position_based: 'position 40/20/40',
};

const fragment = new URLSearchParams(location.hash.slice(1));
let key = fragment.get('key') ?? sessionStorage.getItem('waymark.readKey') ?? '';
const charts = new Map<string, { destroy(): void }>();
let generation = 0;

class ApiError extends Error {}

async function api<T>(path: string, params: URLSearchParams): Promise<T> {
  const response = await fetch(`/api/v1/${path}?${params}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const body = (await response.json()) as T & { message?: string };
  if (!response.ok) throw new ApiError(body.message ?? `HTTP ${response.status}`);
  return body;
}

function filters(): URLSearchParams {
  const params = new URLSearchParams();
  params.set('from', byId<HTMLInputElement>('from').value);
  params.set('to', byId<HTMLInputElement>('to').value);
  for (const name of ['channel', 'device'] as const) {
    const value = byId<HTMLSelectElement>(name).value;
    if (value) params.set(name, value);
  }
  params.set('identified', byId<HTMLSelectElement>('identified').value);
  return params;
}

function draw(id: string, config: ConstructorParameters<typeof Chart>[1]): void {
  charts.get(id)?.destroy();
  charts.set(id, new Chart(byId<HTMLCanvasElement>(id), config));
}

/** Loads one panel; a newer load (filters changed meanwhile) wins over a slower older one. */
async function panel<T>(
  id: string,
  path: string,
  params: URLSearchParams,
  render: (result: T, node: HTMLElement) => boolean,
): Promise<void> {
  const node = byId(id);
  const mine = generation;
  setState(node, 'loading', 'Loading…');
  try {
    const result = await api<T>(path, params);
    if (mine !== generation) return;
    const hasData = render(result, node);
    setState(
      node,
      hasData ? 'ready' : 'empty',
      hasData ? '' : 'No data for this range and these filters.',
    );
  } catch (err) {
    if (mine !== generation) return;
    setState(node, 'error', err instanceof Error ? err.message : String(err));
  }
}

function renderFunnel(result: FunnelResult): boolean {
  const steps = result.total.steps;
  draw('funnel-chart', {
    type: 'bar',
    data: {
      labels: steps.map((s) => s.stage),
      datasets: [
        { label: 'people', data: steps.map((s) => s.people), backgroundColor: COLORS[0] },
        {
          label: 'dropped before this stage',
          data: steps.map((s) => s.dropOff),
          backgroundColor: '#e15759',
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
    },
  });
  table(
    byId('funnel-table'),
    ['stage', 'people', 'step conv.', 'overall', 'drop-off', 'drop-off %', 'median time'],
    steps.map((s) => [
      s.stage,
      s.people,
      percent(s.stepConversion),
      percent(s.overallConversion),
      s.dropOff,
      percent(s.dropOffRate),
      duration(s.medianSecondsFromPrevious),
    ]),
    [false, true, true, true, true, true, true],
    (row, col) => {
      const stage = steps[row]?.stage;
      return col === 1
        ? `funnel-people-${stage}`
        : col === 4
          ? `funnel-dropoff-${stage}`
          : undefined;
    },
  );
  const groups = byId('funnel-groups');
  if (result.groups.length > 0) {
    const groupTable = el('table');
    table(
      groupTable,
      [result.breakdown.replace('_', ' '), ...steps.map((s) => s.stage), 'overall conv.'],
      result.groups.map((g) => [
        g.key || '(none)',
        ...g.steps.map((s) => s.people),
        percent(g.steps[g.steps.length - 2]?.overallConversion ?? null),
      ]),
      [false, true, true, true, true, true],
    );
    groups.replaceChildren(el('h3', {}, 'By ', result.breakdown.replace('_', ' ')), groupTable);
  } else {
    groups.replaceChildren();
  }
  return (steps[0]?.people ?? 0) > 0;
}

function dropoffColumn(title: string, side: DropoffGroup['stopped']): HTMLElement {
  const t = el('table');
  table(
    t,
    ['last page / event', 'people', 'share'],
    side.top.map((e) => [
      el('span', { title: e.kind }, e.kind === 'page' ? e.name || '/' : `${e.kind}: ${e.name}`),
      e.people,
      percent(e.share),
    ]),
    [false, true, true],
  );
  return el('div', {}, el('h3', {}, `${title} (${side.people})`), t);
}

function renderDropoff(result: DropoffResult): boolean {
  const total = result.total;
  byId('dropoff-tables').replaceChildren(
    dropoffColumn(`Stopped after ${result.stage}`, total.stopped),
    dropoffColumn('Went on', total.continued),
    ...result.channels.flatMap((g) => [
      dropoffColumn(`${g.channel}: stopped`, g.stopped),
      dropoffColumn(`${g.channel}: went on`, g.continued),
    ]),
  );
  return total.stopped.people + total.continued.people > 0;
}

let lastAttribution: AttributionResult | undefined;
function renderAttribution(result: AttributionResult): boolean {
  lastAttribution = result;
  const metric =
    byId<HTMLSelectElement>('attribution-metric').value === 'revenue' ? 'revenue' : 'conversions';
  draw('attribution-chart', {
    type: 'bar',
    data: {
      labels: result.channels.map((c) => c.channel),
      datasets: result.models.map((m, i) => ({
        label: MODEL_LABELS[m] ?? m,
        data: result.channels.map((c) => c.models[m][metric]),
        backgroundColor: COLORS[i % COLORS.length],
      })),
    },
    options: { maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } },
  });
  const round = (x: number) => (Math.round(x * 100) / 100).toString();
  table(
    byId('attribution-table'),
    ['channel', ...result.models.map((m) => MODEL_LABELS[m] ?? m)],
    result.channels.map((c) => [
      c.channel,
      ...result.models.map((m) => round(c.models[m][metric])),
    ]),
    [false, ...result.models.map(() => true)],
  );
  return result.conversions > 0;
}

let lastTrends: TrendsResult | undefined;
function renderTrends(result: TrendsResult): boolean {
  lastTrends = result;
  const metric = byId<HTMLSelectElement>('trends-metric').value as
    | 'people'
    | 'sessions'
    | 'conversions';
  draw('trends-chart', {
    type: 'line',
    data: {
      labels: result.buckets,
      datasets: result.series.map((s, i) => ({
        label: s.channel || 'all channels',
        data: s[metric],
        borderColor: s.channel ? COLORS[i % COLORS.length] : '#1d2433',
        backgroundColor: s.channel ? COLORS[i % COLORS.length] : '#1d2433',
        borderWidth: s.channel ? 1.5 : 3,
        pointRadius: 2,
      })),
    },
    options: { maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } },
  });
  return result.buckets.length > 0;
}

function renderRetention(result: RetentionResult): boolean {
  const weeks = Array.from({ length: result.weeks + 1 }, (_, i) => `week ${i}`);
  const target = byId<HTMLTableElement>('retention-table');
  const head = el(
    'thead',
    {},
    el('tr', {}, ...['cohort', 'channel', 'people', ...weeks].map((h) => el('th', {}, h))),
  );
  const body = el(
    'tbody',
    {},
    ...result.cohorts.map((c) =>
      el(
        'tr',
        {},
        el('td', {}, c.cohort),
        el('td', {}, c.channel || 'all'),
        el('td', { className: 'num' }, c.people),
        ...c.returningShare.map((share, i) =>
          // A week not begun yet is blank: nothing is known of it.
          share === null
            ? el('td', { className: 'cell', title: 'not begun yet' }, '')
            : el(
                'td',
                {
                  className: 'cell',
                  title: `${c.returning[i] ?? 0} of ${c.people}`,
                  style: {
                    background: `rgba(78, 121, 167, ${Math.min(1, share).toFixed(3)})`,
                    color: share > 0.5 ? '#fff' : '#1d2433',
                  },
                },
                percent(share),
              ),
        ),
      ),
    ),
  );
  target.replaceChildren(head, body);
  return result.cohorts.length > 0;
}

function load(): void {
  generation += 1;
  const base = filters();
  const withParam = (name: string, value: string) => {
    const p = new URLSearchParams(base);
    p.set(name, value);
    return p;
  };
  void panel<FunnelResult>(
    'funnel',
    'funnel',
    withParam('breakdown', byId<HTMLSelectElement>('breakdown').value),
    renderFunnel,
  );
  void panel<DropoffResult>(
    'dropoff',
    'dropoff',
    withParam('stage', byId<HTMLSelectElement>('stage').value),
    renderDropoff,
  );
  void panel<AttributionResult>('attribution', 'attribution', base, renderAttribution);
  void panel<TrendsResult>(
    'trends',
    'trends',
    withParam('interval', byId<HTMLSelectElement>('interval').value),
    renderTrends,
  );
  void panel<RetentionResult>('retention', 'retention', base, renderRetention);
}

async function start(): Promise<void> {
  const keyForm = byId<HTMLFormElement>('key-form');
  if (!key) {
    keyForm.hidden = false;
    keyForm.addEventListener('submit', (event) => {
      event.preventDefault();
      key = byId<HTMLInputElement>('key').value.trim();
      sessionStorage.setItem('waymark.readKey', key);
      location.reload();
    });
    return;
  }
  sessionStorage.setItem('waymark.readKey', key);
  const channel = byId<HTMLSelectElement>('channel');
  for (const c of CHANNELS) channel.append(el('option', {}, c));
  for (const option of channel.options)
    option.value ||= option.textContent === 'all channels' ? '' : (option.textContent ?? '');
  const today = new Date();
  byId<HTMLInputElement>('to').value = today.toISOString().slice(0, 10);
  byId<HTMLInputElement>('from').value = new Date(today.getTime() - 29 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  try {
    const project = await api<{ id: string }>('project', new URLSearchParams());
    byId('project').textContent = `project ${project.id}`;
  } catch (err) {
    byId('project').textContent = err instanceof Error ? err.message : String(err);
  }
  byId('filters').addEventListener('change', load);
  byId('attribution-metric').addEventListener(
    'change',
    () => lastAttribution && renderAttribution(lastAttribution),
  );
  byId('trends-metric').addEventListener('change', () => lastTrends && renderTrends(lastTrends));
  load();
}

void start();
