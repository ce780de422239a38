/**
 * Capacity over time: per compute environment the vCPUs in use (a step area) against its cap (a
 * dashed line), memory in use (and GPUs when it has any), and the number of jobs waiting in RUNNABLE. Capacity at
 * its cap while jobs wait:
 * capacity-bound; capacity free while nothing waits: dependency-bound.
 */
import { axisLeft } from 'd3-axis';
import { scaleLinear } from 'd3-scale';
import { select } from 'd3-selection';
import { area, curveStepAfter, line } from 'd3-shape';
import type { RunData, UiCapacity } from '../run-data-types';
import { timeScale } from './timeline';

const HEIGHT = 100;
const TITLE = 22;

/** Draws one chart per environment and the waiting chart into `root`. */
export function drawCapacity(root: HTMLElement, data: RunData, width: number): void {
  root.textContent = '';
  const x = timeScale(data, width);
  const end = data.to - data.from;
  if (data.capacity.length === 0 && data.waiting.length === 0) {
    root.innerHTML = '<p class="empty">No attempt was placed yet.</p>';
    return;
  }
  for (const c of data.capacity) {
    const series = (pick: (s: UiCapacity['steps'][number]) => number) => [
      ...c.steps.map((s) => ({ t: s.t - data.from, v: pick(s) })),
      { t: end, v: c.steps.length ? pick(c.steps[c.steps.length - 1]!) : 0 },
    ];
    const vcpus = series((s) => s.vcpus);
    chart(
      root,
      `${c.ce}: vCPUs in use (cap ${c.capNote})`,
      vcpus,
      Math.max(c.cap.vcpus, ...vcpus.map((s) => s.v)),
      c.cap.vcpus,
      x,
      width,
      'cap-area',
      c.ce,
    );
    const memory = series((s) => s.memoryMiB);
    const peak = Math.max(...memory.map((s) => s.v));
    chart(
      root,
      `${c.ce}: memory in use, MiB (cap ${c.cap.memoryMiB}; peak ${peak})`,
      memory,
      Math.max(peak, 1),
      undefined,
      x,
      width,
      'cap-area',
      `${c.ce}/memory`,
    );
    if (c.cap.gpus > 0 || c.steps.some((s) => s.gpus > 0)) {
      const gpus = series((s) => s.gpus);
      chart(
        root,
        `${c.ce}: GPUs in use (cap ${c.cap.gpus})`,
        gpus,
        Math.max(c.cap.gpus, ...gpus.map((s) => s.v)),
        c.cap.gpus,
        x,
        width,
        'cap-area',
        `${c.ce}/gpus`,
      );
    }
  }
  const waiting = [
    ...data.waiting.map((w) => ({ t: w.t - data.from, v: w.n })),
    { t: end, v: data.waiting[data.waiting.length - 1]?.n ?? 0 },
  ];
  chart(
    root,
    'jobs waiting in RUNNABLE',
    waiting,
    Math.max(1, ...waiting.map((w) => w.v)),
    undefined,
    x,
    width,
    'wait-line',
    'runnable',
  );
}

function chart(
  root: HTMLElement,
  title: string,
  steps: Array<{ t: number; v: number }>,
  max: number,
  cap: number | undefined,
  x: (t: number) => number,
  width: number,
  cls: string,
  key: string,
): void {
  const y = scaleLinear()
    .domain([0, max])
    .range([HEIGHT - 6, TITLE + 4])
    .nice();
  const svg = select(root)
    .append('svg')
    .attr('width', width)
    .attr('height', HEIGHT)
    .attr('class', 'capacity')
    .attr('data-chart', key);
  svg.append('text').attr('x', 4).attr('y', 12).attr('class', 'lane-label').text(title);
  svg
    .append('g')
    .attr('transform', `translate(${x(0) - 2},0)`)
    .call(axisLeft(y).ticks(3));
  if (cls === 'cap-area') {
    const shape = area<{ t: number; v: number }>()
      .x((s) => x(s.t))
      .y0(y(0))
      .y1((s) => y(s.v))
      .curve(curveStepAfter);
    svg
      .append('path')
      .attr('class', cls)
      .attr('d', shape(steps) ?? '');
  } else {
    const shape = line<{ t: number; v: number }>()
      .x((s) => x(s.t))
      .y((s) => y(s.v))
      .curve(curveStepAfter);
    svg
      .append('path')
      .attr('class', cls)
      .attr('d', shape(steps) ?? '');
  }
  if (cap !== undefined) {
    svg
      .append('line')
      .attr('class', 'cap-line')
      .attr('x1', x(0))
      .attr('x2', x(steps[steps.length - 1]?.t ?? 0))
      .attr('y1', y(cap))
      .attr('y2', y(cap));
  }
}
