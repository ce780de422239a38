/**
 * The page of a run report (data inline) or of the live dashboard (data polled from the server
 * that served the page). Everything it draws comes from one {@link RunData}.
 */
import type { RunData } from '../run-data-types';
import { drawCapacity } from './capacity';
import { drawGraph } from './graph';
import { drawPanel, drawQueues, el, type PanelActions } from './panel';
import css from './style.css';
import { drawTimeline } from './timeline';

/** How the page was configured by the server (`<script id="batchkit-config" type="application/json">`). */
interface PageConfig {
  /** Live dashboard: where to poll the data and the API. */
  readonly live?: { readonly dataUrl: string; readonly intervalMs: number; readonly actions: boolean };
}

const state: { data?: RunData; selected?: string; collapsed: Set<string>; initialized: boolean } = {
  collapsed: new Set(),
  initialized: false,
};

function json<T>(id: string): T | undefined {
  const node = document.getElementById(id);
  return node?.textContent ? (JSON.parse(node.textContent) as T) : undefined;
}

/** The CSS colour variable of each legend entry. */
const LEGEND_VARIABLE: Record<string, string> = {
  'runnable-span': 'wait',
  starting: 'start',
  'outcome-running': 'run',
  'outcome-succeeded': 'ok',
  'outcome-failed': 'fail',
  'outcome-timeout': 'timeout',
};

function layout(live: boolean): Record<'queues' | 'timeline' | 'graph' | 'capacity' | 'panel' | 'meta', HTMLElement> {
  const style = el('style', css);
  document.head.append(style);
  const header = el('header');
  header.append(el('h1', live ? 'batchkit — live dashboard' : 'batchkit — run report'));
  const meta = el('span', '', { class: 'meta', id: 'meta' });
  header.append(meta);
  const main = el('main');
  const left = el('div');
  const section = (id: string, title: string): HTMLElement => {
    const s = el('section', undefined, { id: `${id}-section` });
    s.append(el('h2', title));
    const body = el('div', undefined, { id });
    s.append(body);
    left.append(s);
    return body;
  };
  const queues = section('queues', 'Jobs by queue and status');
  const timeline = section('timeline', 'Timeline');
  const legend = el('div', undefined, { class: 'legend' });
  for (const [cls, text] of [
    ['runnable-span', 'RUNNABLE'],
    ['starting', 'STARTING'],
    ['outcome-running', 'RUNNING'],
    ['outcome-succeeded', 'succeeded'],
    ['outcome-failed', 'failed'],
    ['outcome-timeout', 'timed out'],
  ]) {
    const item = el('span');
    const swatch = el('i');
    swatch.setAttribute('style', `background: var(--${LEGEND_VARIABLE[cls!]})`);
    item.append(swatch, document.createTextNode(text!));
    legend.append(item);
  }
  timeline.parentElement?.insertBefore(legend, timeline);
  const graph = section('graph', 'Dependencies (critical path in bold)');
  const capacity = section('capacity', 'Capacity over time');
  const panel = el('aside', undefined, { id: 'panel' });
  main.append(left, panel);
  document.body.append(header, main);
  return { queues, timeline, graph, capacity, panel, meta };
}

function render(parts: ReturnType<typeof layout>, actions?: PanelActions): void {
  const data = state.data;
  if (!data) return;
  const width = Math.max(700, (parts.timeline.parentElement?.clientWidth ?? 1000) - 24);
  const top = data.jobs.filter((j) => !j.parent).length;
  const children = data.jobs.length - top + Object.values(data.aggregated).reduce((a, b) => a + b, 0);
  parts.meta.textContent =
    `${data.title} · ${top} job(s), ${children} child job(s)/node(s) · ` +
    `${new Date(data.generatedAt).toISOString()}`;
  if (!state.initialized) {
    // Large groups start collapsed so the page opens readable.
    for (const j of data.jobs) if ((j.size ?? 0) > 20) state.collapsed.add(j.id);
    state.initialized = true;
  }
  const selectJob = (id: string): void => {
    state.selected = id;
    drawPanel(parts.panel, data, id, actions);
  };
  drawQueues(parts.queues, data);
  drawTimeline(parts.timeline, data, width, {
    collapsed: state.collapsed,
    select: selectJob,
    toggle: (id) => {
      if (state.collapsed.has(id)) state.collapsed.delete(id);
      else state.collapsed.add(id);
      render(parts, actions);
    },
  });
  drawGraph(parts.graph, data, selectJob);
  drawCapacity(parts.capacity, data, width);
  drawPanel(parts.panel, data, state.selected, actions);
}

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const text = await res.text();
    window.alert(`${path}: ${res.status} ${text}`);
  }
}

function start(): void {
  const config = json<PageConfig>('batchkit-config') ?? {};
  const parts = layout(config.live !== undefined);
  const live = config.live;
  if (!live) {
    state.data = json<RunData>('run-data');
    render(parts);
    window.addEventListener('resize', () => render(parts));
    return;
  }
  const actions: PanelActions | undefined = !live.actions
    ? undefined
    : {
        cancel: (id) => void post('/v1/canceljob', { jobId: id, reason: 'Cancelled from the batchkit dashboard' }),
        terminate: (id) =>
          void post('/v1/terminatejob', { jobId: id, reason: 'Terminated from the batchkit dashboard' }),
      };
  const poll = async (): Promise<void> => {
    try {
      const url = state.selected ? `${live.dataUrl}?tails=${encodeURIComponent(state.selected)}` : live.dataUrl;
      const res = await fetch(url, { cache: 'no-store' });
      if (res.ok) {
        state.data = (await res.json()) as RunData;
        render(parts, actions);
      }
    } finally {
      window.setTimeout(() => void poll(), live.intervalMs);
    }
  };
  void poll();
}

start();
