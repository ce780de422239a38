/**
 * The job panel (parameters, command, environment, attempts with exit codes, reasons and log tails)
 * and the queue × status table. Every text from the data goes in through `textContent`.
 */
import type { RunData, UiJob, UiStatus } from '../run-data-types';

const STATUSES: readonly UiStatus[] = [
  'SUBMITTED',
  'PENDING',
  'RUNNABLE',
  'STARTING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
];

/** Creates an element with text and attributes. */
export function el(tag: string, text?: string, attrs: Record<string, string> = {}): HTMLElement {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function time(ms: number | undefined, t0: number): string {
  return ms === undefined ? '–' : `+${((ms - t0) / 1000).toFixed(1)}s`;
}

/** Actions the live dashboard offers on a job. */
export interface PanelActions {
  readonly cancel: (jobId: string) => void;
  readonly terminate: (jobId: string) => void;
}

/** Fills the panel with one job (or a hint when none is selected). */
export function drawPanel(root: HTMLElement, data: RunData, jobId: string | undefined, actions?: PanelActions): void {
  root.textContent = '';
  root.append(el('h2', 'Job'));
  const job = jobId ? data.jobs.find((j) => j.id === jobId) : undefined;
  if (!job) {
    const slot = jobId ? data.slots.flatMap((s) => s.lanes.flat()).filter((a) => a.child === jobId) : [];
    if (slot.length > 0) {
      root.append(
        el('p', `Array child ${jobId} (index ${slot[0]!.index}): drawn in a slot lane; ${slot.length} attempt(s).`),
      );
      for (const a of slot)
        root.append(
          el(
            'p',
            `attempt ${a.n}: ${a.outcome}${a.exitCode !== undefined ? `, exit ${a.exitCode}` : ''}` +
              `${a.reason ? ` — ${a.reason}` : ''}`,
          ),
        );
      return;
    }
    root.append(el('p', 'Click a job in the timeline or the graph.', { class: 'empty' }));
    return;
  }
  root.dataset.jobId = job.id;
  const rows: Array<[string, string]> = [
    ['name', job.name],
    ['id', job.id],
    ['status', job.status],
    ['queue', job.queue],
    ['definition', job.definition],
    ['created', new Date(job.createdAt).toISOString()],
  ];
  if (job.reason) rows.push(['reason', job.reason]);
  if (job.size !== undefined) rows.push([job.kind === 'multinode' ? 'nodes' : 'array size', String(job.size)]);
  if (job.summary)
    rows.push([
      'summary',
      Object.entries(job.summary)
        .map(([s, n]) => `${s} ${n}`)
        .join(', '),
    ]);
  if (job.deps.length)
    rows.push(['depends on', job.deps.map((d) => `${d.id}${d.type ? ` (${d.type})` : ''}`).join(', ')]);
  rows.push([
    'reserves',
    `${job.demand.vcpus} vCPU, ${job.demand.memoryMiB} MiB${job.demand.gpus ? `, ${job.demand.gpus} GPU` : ''}`,
  ]);
  if (job.command) rows.push(['command', JSON.stringify(job.command)]);
  for (const [k, v] of Object.entries(job.parameters ?? {})) rows.push([`parameter ${k}`, v]);
  for (const [k, v] of Object.entries(job.environment ?? {})) rows.push([`env ${k}`, v]);
  const table = el('table');
  for (const [k, v] of rows) {
    const tr = el('tr');
    tr.append(el('th', k), el('td', v, k === 'status' ? { class: `status status-${v}` } : {}));
    table.append(tr);
  }
  root.append(table);
  if (actions && job.status !== 'SUCCEEDED' && job.status !== 'FAILED') {
    const cancel = el('button', 'Cancel', { 'data-action': 'cancel' });
    cancel.addEventListener('click', () => actions.cancel(job.id));
    const terminate = el('button', 'Terminate', { 'data-action': 'terminate' });
    terminate.addEventListener('click', () => actions.terminate(job.id));
    root.append(el('p'), cancel, terminate);
  }
  root.append(el('h2', `Attempts (${job.attempts.length})`));
  for (const a of job.attempts) {
    const head =
      `#${a.n} ${a.outcome} · started ${time(a.start, data.from)} · ended ${time(a.end, data.from)}` +
      `${a.exitCode !== undefined ? ` · exit ${a.exitCode}` : ''}`;
    root.append(el('p', head, { class: 'attempt', 'data-attempt': String(a.n) }));
    if (a.reason) root.append(el('p', a.reason));
    if (a.logTail?.length) root.append(el('pre', a.logTail.join('\n'), { class: 'log-tail' }));
  }
}

function topLevel(j: UiJob): boolean {
  return !j.parent;
}

/** Jobs by queue and status, as the console's dashboard shows them (children counted under their queue). */
export function drawQueues(root: HTMLElement, data: RunData): void {
  root.textContent = '';
  const counts = new Map<string, Record<string, number>>();
  const add = (queue: string, status: string, n: number): void => {
    let c = counts.get(queue);
    if (!c) counts.set(queue, (c = {}));
    c[status] = (c[status] ?? 0) + n;
  };
  for (const j of data.jobs) if (topLevel(j) || j.kind === 'child') add(j.queue, j.status, 1);
  for (const [parent, n] of Object.entries(data.aggregated)) {
    const p = data.jobs.find((j) => j.id === parent);
    if (!p?.summary) continue;
    for (const [s, k] of Object.entries(p.summary)) add(p.queue, s, Math.min(k ?? 0, n));
  }
  const table = el('table', undefined, { class: 'queues' });
  const head = el('tr');
  head.append(el('th', 'queue'), ...STATUSES.map((s) => el('th', s)));
  table.append(head);
  for (const [queue, c] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    const tr = el('tr', undefined, { 'data-queue': queue });
    tr.append(el('td', queue), ...STATUSES.map((s) => el('td', String(c[s] ?? 0), { 'data-status': s })));
    table.append(tr);
  }
  root.append(table);
}
