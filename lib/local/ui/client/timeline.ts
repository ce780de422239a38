/**
 * The timeline: one lane per job (array children and multi-node nodes under their parent, which
 * collapses them), RUNNABLE waits as grey spans, each attempt a bar from STARTING (light) through
 * RUNNING to its end, coloured by outcome; large arrays as lanes of slots.
 */
import { axisTop } from 'd3-axis';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import type { RunData, UiAttempt, UiJob } from '../run-data-types';

const LANE = 18;
const LABEL = 220;
const TOP = 24;

/** What the timeline needs from the page. */
export interface TimelineContext {
  readonly collapsed: Set<string>;
  readonly select: (jobId: string) => void;
  readonly toggle: (parentId: string) => void;
}

interface Lane {
  readonly key: string;
  readonly label: string;
  readonly jobId?: string;
  readonly group?: string;
  readonly parentOf?: string;
  readonly hidden: boolean;
  readonly job?: UiJob;
  readonly bars: ReadonlyArray<{ readonly jobId: string; readonly a: UiAttempt; readonly label: string }>;
}

function lanesOf(data: RunData, collapsed: ReadonlySet<string>): Lane[] {
  const children = new Map<string, UiJob[]>();
  for (const j of data.jobs) {
    if (!j.parent) continue;
    let list = children.get(j.parent);
    if (!list) children.set(j.parent, (list = []));
    list.push(j);
  }
  const lanes: Lane[] = [];
  for (const j of data.jobs) {
    if (j.parent) continue;
    const kids = children.get(j.id) ?? [];
    const slots = data.slots.find((s) => s.parent === j.id);
    const grouped = kids.length > 0 || slots !== undefined;
    const mark = grouped ? (collapsed.has(j.id) ? '▸ ' : '▾ ') : '';
    lanes.push({
      key: j.id,
      label: `${mark}${j.name}${j.size !== undefined ? ` [${j.size}]` : ''}`,
      jobId: j.id,
      parentOf: grouped ? j.id : undefined,
      hidden: false,
      job: j,
      bars: j.attempts.map((a) => ({ jobId: j.id, a, label: j.name })),
    });
    const hidden = collapsed.has(j.id);
    for (const k of [...kids].sort((a, b) => (a.index ?? 0) - (b.index ?? 0))) {
      const what = k.kind === 'node' ? `node ${k.index}` : `[${k.index}]`;
      lanes.push({
        key: k.id,
        label: `   ${what}`,
        jobId: k.id,
        group: j.id,
        hidden,
        job: k,
        bars: k.attempts.map((a) => ({ jobId: k.id, a, label: `${j.name}${k.kind === 'node' ? '#' : ':'}${k.index}` })),
      });
    }
    slots?.lanes.forEach((lane, i) =>
      lanes.push({
        key: `${j.id}/slot${i}`,
        label: `   slot ${i + 1}`,
        group: j.id,
        hidden,
        bars: lane.map((a) => ({ jobId: a.child, a, label: `${j.name}:${a.index}` })),
      }),
    );
  }
  return lanes;
}

function secs(ms: number): string {
  return ms >= 60_000
    ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`
    : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}

function tooltip(label: string, a: UiAttempt): string {
  const lines = [`${label} — attempt ${a.n}: ${a.outcome}`];
  if (a.running !== undefined) lines.push(`starting ${secs(a.running - a.start)}`);
  if (a.end !== undefined) lines.push(`ran ${secs(a.end - (a.running ?? a.start))}`);
  if (a.exitCode !== undefined) lines.push(`exit code ${a.exitCode}`);
  if (a.reason) lines.push(a.reason);
  if (a.ce) lines.push(`on ${a.ce}`);
  return lines.join('\n');
}

/** The time scale every chart of the page shares (ms since the run's start → x pixels). */
export function timeScale(data: RunData, width: number): ScaleLinear<number, number> {
  return scaleLinear()
    .domain([0, Math.max(1, data.to - data.from)])
    .range([LABEL, Math.max(LABEL + 100, width - 10)]);
}

/** Draws the timeline into `root` (replacing what was there). */
export function drawTimeline(root: HTMLElement, data: RunData, width: number, ctx: TimelineContext): void {
  root.textContent = '';
  const lanes = lanesOf(data, ctx.collapsed).filter((l) => !l.hidden);
  const x = timeScale(data, width);
  const now = data.generatedAt;
  const svg = select(root)
    .append('svg')
    .attr('width', width)
    .attr('height', TOP + lanes.length * LANE + 4)
    .attr('class', 'timeline');
  svg
    .append('g')
    .attr('transform', `translate(0,${TOP - 4})`)
    .call(
      axisTop(x)
        .ticks(Math.max(2, Math.floor((width - LABEL) / 90)))
        .tickFormat((v) => secs(Number(v))),
    );
  lanes.forEach((lane, i) => drawLane(svg, lane, i, x, data.from, now, ctx));
}

function drawLane(
  svg: Selection<SVGSVGElement, unknown, null, undefined>,
  lane: Lane,
  i: number,
  x: ScaleLinear<number, number>,
  t0: number,
  now: number,
  ctx: TimelineContext,
): void {
  const y = TOP + i * LANE;
  const g = svg.append('g').attr('class', 'lane').attr('data-lane', lane.key);
  if (lane.jobId) g.attr('data-job-id', lane.jobId);
  g.append('rect')
    .attr('class', `lane-bg${i % 2 ? ' odd' : ''}`)
    .attr('x', 0)
    .attr('y', y)
    .attr('width', x.range()[1] ?? 0)
    .attr('height', LANE);
  const label = g
    .append('text')
    .attr('class', `lane-label${lane.parentOf ? ' group' : ''}`)
    .attr('x', 4)
    .attr('y', y + LANE - 5)
    .text(lane.label.length > 34 ? `${lane.label.slice(0, 33)}…` : lane.label);
  label.append('title').text(lane.job ? `${lane.job.name} (${lane.job.id}) ${lane.job.status}` : lane.label);
  label.on('click', () => {
    if (lane.parentOf) ctx.toggle(lane.parentOf);
    if (lane.jobId) ctx.select(lane.jobId);
  });
  for (const [from, to] of lane.job?.runnable ?? []) {
    g.append('rect')
      .attr('class', 'runnable-span')
      .attr('x', x(from - t0))
      .attr('y', y + LANE / 2 - 2)
      .attr('width', Math.max(1, x((to ?? now) - t0) - x(from - t0)))
      .attr('height', 4)
      .append('title')
      .text(`RUNNABLE ${secs((to ?? now) - from)}`);
  }
  for (const bar of lane.bars) {
    const a = bar.a;
    const end = a.end ?? now;
    const run = a.running ?? end;
    const b = g
      .append('g')
      .attr('class', `attempt-bar outcome-${a.outcome}`)
      .attr('data-job-id', bar.jobId)
      .attr('data-attempt', a.n)
      .on('click', () => ctx.select(bar.jobId));
    b.append('title').text(tooltip(bar.label, a));
    b.append('rect')
      .attr('class', 'starting')
      .attr('x', x(a.start - t0))
      .attr('y', y + 3)
      .attr('width', Math.max(1, x(run - t0) - x(a.start - t0)))
      .attr('height', LANE - 6);
    b.append('rect')
      .attr('class', `outcome-${a.outcome}`)
      .attr('x', x(run - t0))
      .attr('y', y + 3)
      .attr('width', Math.max(2, x(end - t0) - x(run - t0)))
      .attr('height', LANE - 6);
  }
}
