/**
 * The dependency graph: top-level jobs as nodes (arrays with their status summary), an edge per
 * dependency (dashed N_TO_N, dotted SEQUENTIAL), the critical path in bold. Laid out by dagre.
 */
import dagre from '@dagrejs/dagre';
import { select } from 'd3-selection';
import { line } from 'd3-shape';
import type { RunData, UiJob } from '../run-data-types';

const SHORT: Record<string, string> = {
  SUCCEEDED: 'ok',
  FAILED: 'fail',
  RUNNING: 'run',
  RUNNABLE: 'wait',
  STARTING: 'start',
  PENDING: 'pend',
  SUBMITTED: 'sub',
};

function summaryText(j: UiJob): string {
  if (!j.summary) return j.status;
  const parts = Object.entries(j.summary)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([s, n]) => `${SHORT[s] ?? s} ${n}`);
  return `${j.status} · ${parts.join(' ')}`;
}

/** Draws the graph into `root`. */
export function drawGraph(root: HTMLElement, data: RunData, select_: (jobId: string) => void): void {
  root.textContent = '';
  const top = data.jobs.filter((j) => !j.parent);
  if (top.length === 0) {
    root.innerHTML = '<p class="empty">No jobs.</p>';
    return;
  }
  const ids = new Set(top.map((j) => j.id));
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 70, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const j of top) g.setNode(j.id, { width: 190, height: 40 });
  const edges: Array<{ from: string; to: string; type?: string }> = [];
  for (const j of top) {
    for (const d of j.deps) {
      if (!ids.has(d.id)) continue;
      edges.push({ from: d.id, to: j.id, type: d.type });
      g.setEdge(d.id, j.id, { label: d.type ?? '' }, `${d.id}->${j.id}:${d.type ?? ''}`);
    }
  }
  dagre.layout(g);
  const graphSize = g.graph();
  const critical = new Set(data.criticalPath);
  const criticalEdges = new Set(data.criticalPath.slice(1).map((id, i) => `${data.criticalPath[i]}->${id}`));
  const svg = select(root)
    .append('svg')
    .attr('class', 'graph')
    .attr('width', (graphSize.width ?? 0) + 20)
    .attr('height', (graphSize.height ?? 0) + 20);
  svg
    .append('defs')
    .append('marker')
    .attr('id', 'arrow')
    .attr('viewBox', '0 0 10 10')
    .attr('refX', 10)
    .attr('refY', 5)
    .attr('markerUnits', 'userSpaceOnUse')
    .attr('markerWidth', 9)
    .attr('markerHeight', 9)
    .attr('orient', 'auto')
    .append('path')
    .attr('d', 'M0,0L10,5L0,10z')
    .attr('fill', '#78909c');
  const path = line<{ x: number; y: number }>()
    .x((p) => p.x)
    .y((p) => p.y);
  for (const e of edges) {
    const laid = g.edge(e.from, e.to, `${e.from}->${e.to}:${e.type ?? ''}`);
    const key = `${e.from}->${e.to}`;
    svg
      .append('path')
      .attr('class', `dep-edge type-${e.type ?? 'plain'}${criticalEdges.has(key) ? ' critical' : ''}`)
      .attr('data-from', e.from)
      .attr('data-to', e.to)
      .attr('data-type', e.type ?? 'plain')
      .attr('d', path(laid.points) ?? '');
    if (e.type && laid.points.length > 0) {
      const mid = laid.points[Math.floor(laid.points.length / 2)]!;
      svg
        .append('text')
        .attr('class', 'edge-label')
        .attr('x', mid.x - 18)
        .attr('y', mid.y - 6)
        .text(e.type);
    }
  }
  for (const j of top) {
    const n = g.node(j.id);
    const node = svg
      .append('g')
      .attr('class', `job-node status-${j.status}${critical.has(j.id) ? ' critical' : ''}`)
      .attr('data-job-id', j.id)
      .attr('transform', `translate(${n.x - n.width / 2},${n.y - n.height / 2})`)
      .on('click', () => select_(j.id));
    node.append('rect').attr('width', n.width).attr('height', n.height);
    node
      .append('text')
      .attr('x', 6)
      .attr('y', 15)
      .text(j.name.length > 28 ? `${j.name.slice(0, 27)}…` : j.name);
    node.append('text').attr('x', 6).attr('y', 31).attr('class', `status-${j.status}`).text(summaryText(j));
    node.append('title').text(`${j.name} (${j.id})`);
  }
}
