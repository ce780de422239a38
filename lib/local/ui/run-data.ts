/**
 * Builds what a run report or the dashboard draws ({@link RunData}) from the executor's job records:
 * attempts from each job's status history, RUNNABLE waits, capacity in use per compute environment,
 * slot lanes for large arrays and the critical path through the dependencies. Pure: no I/O but the
 * `logs` callback, so it is tested on records made by hand.
 */
import type { AttemptDetail } from '../../core/model/job';
import type { LogEntry } from '../runtime/log-demux';
import type { Topology } from '../scheduler/capacity';
import type { JobRecord, StatusStamp } from '../scheduler/job-record';
import type { RunData, UiAttempt, UiCapacity, UiJob, UiOutcome, UiSlotLanes, UiStatus } from './run-data-types';

/** An environment's capacity, as the executor's pools know it. */
export interface PoolInfo {
  readonly name: string;
  readonly capacity: { readonly vcpus: number; readonly memoryMiB: number; readonly gpus: number };
  readonly limitNote: string;
}

/** The capacity of every environment the executor's topology knows. */
export function poolInfos(topology: Pick<Topology, 'allPools'>): PoolInfo[] {
  return topology.allPools().map((p) => ({ name: p.name, capacity: p.capacity, limitNote: p.limitNote }));
}

/** Input of {@link buildRunData}. */
export interface RunDataInput {
  /** Job records (any order). */
  readonly records: readonly JobRecord[];
  /** Compute environment capacities. */
  readonly pools: readonly PoolInfo[];
  /** Title of the page. */
  readonly title: string;
  /** Now (epoch ms): the end of bars still running. */
  readonly now: number;
  /** The stored log events of an attempt, read as iterated, for the log tails. @default - no tails */
  readonly logs?: (jobId: string, attempt: number) => Iterable<LogEntry> | undefined;
  /** Arrays with more children than this are drawn as slot lanes. @default 50 */
  readonly aggregateAbove?: number;
}

const TAIL_LINES = 20;
const TAIL_CHARS = 500;
const SECRET_NAME = /secret|passw|token|credential|private|api[-_]?key|access[-_]?key/i;

/** The records a report covers: `jobIds` (with their children and nodes), created at or after `since` (epoch ms). */
export function selectRecords(
  records: readonly JobRecord[],
  options: { jobIds?: readonly string[]; since?: number },
): JobRecord[] {
  const wanted = options.jobIds?.length ? new Set(options.jobIds) : undefined;
  return records.filter(
    (r) =>
      (!wanted || wanted.has(r.detail.jobId) || (r.meta.parentId !== undefined && wanted.has(r.meta.parentId))) &&
      (options.since === undefined || (r.detail.createdAt ?? 0) >= options.since),
  );
}

/** The data of a report or dashboard. */
export function buildRunData(input: RunDataInput): RunData {
  const limit = input.aggregateAbove ?? 50;
  const byId = new Map(input.records.map((r) => [r.detail.jobId, r]));
  const aggregatedParents = new Set(
    input.records
      .filter((r) => r.meta.kind === 'array-parent' && (r.meta.size ?? 0) > limit)
      .map((r) => r.detail.jobId),
  );
  const jobs: UiJob[] = [];
  const aggregated: Record<string, number> = {};
  const childAttempts = new Map<string, Array<{ child: string; index: number } & UiAttempt>>();
  let from = Infinity;
  let to = -Infinity;
  const capacity = new Map<string, Array<{ t: number; d: number; m: number; g: number }>>();
  const waitEvents: Array<{ t: number; n: number }> = [];

  for (const rec of [...input.records].sort(
    (a, b) => a.meta.seq - b.meta.seq || a.detail.jobId.localeCompare(b.detail.jobId),
  )) {
    const d = rec.detail;
    const attempts = attemptsOf(rec);
    const runnable = runnableSpans(rec.meta.history ?? []);
    from = Math.min(from, d.createdAt ?? Infinity, ...attempts.map((a) => a.start));
    to = Math.max(to, d.stoppedAt ?? -Infinity, ...attempts.map((a) => a.end ?? input.now));
    if (rec.meta.kind !== 'array-parent' && rec.meta.kind !== 'mnp-node') {
      for (const [a, b] of runnable) {
        waitEvents.push({ t: a, n: 1 });
        if (b !== undefined) waitEvents.push({ t: b, n: -1 });
      }
      for (const a of attempts) {
        if (!a.ce) continue;
        let steps = capacity.get(a.ce);
        if (!steps) capacity.set(a.ce, (steps = []));
        const { vcpus, memoryMiB, gpus } = rec.meta.demand;
        steps.push({ t: a.start, d: vcpus, m: memoryMiB, g: gpus });
        if (a.end !== undefined) steps.push({ t: a.end, d: -vcpus, m: -memoryMiB, g: -gpus });
      }
    }
    const parentId = rec.meta.parentId;
    if (rec.meta.kind === 'array-child' && parentId !== undefined && aggregatedParents.has(parentId)) {
      aggregated[parentId] = (aggregated[parentId] ?? 0) + 1;
      let list = childAttempts.get(parentId);
      if (!list) childAttempts.set(parentId, (list = []));
      for (const a of attempts) list.push({ ...a, child: d.jobId, index: rec.meta.arrayIndex ?? 0 });
      continue;
    }
    jobs.push(uiJob(rec, attempts, runnable, input.logs));
  }
  if (!Number.isFinite(from)) from = input.now;
  if (!Number.isFinite(to) || to < from) to = Math.max(from, input.now);

  return {
    title: input.title,
    generatedAt: input.now,
    from,
    to,
    jobs,
    slots: [...childAttempts].map(([parent, list]): UiSlotLanes => ({ parent, lanes: packLanes(list) })),
    aggregated,
    capacity: input.pools
      .filter((p) => capacity.has(p.name))
      .map((p): UiCapacity => ({
        ce: p.name,
        cap: p.capacity,
        capNote: p.limitNote,
        steps: cumulate(capacity.get(p.name) ?? []),
      })),
    waiting: cumulateCount(waitEvents),
    criticalPath: criticalPath(input.records, byId, input.now),
  };
}

function kindOf(rec: JobRecord): UiJob['kind'] {
  switch (rec.meta.kind) {
    case 'array-parent':
      return 'array';
    case 'array-child':
      return 'child';
    case 'mnp-parent':
      return 'multinode';
    case 'mnp-node':
      return 'node';
    default:
      return 'single';
  }
}

function uiJob(
  rec: JobRecord,
  attempts: UiAttempt[],
  runnable: Array<readonly [number, number | undefined]>,
  logs: RunDataInput['logs'],
): UiJob {
  const d = rec.detail;
  const c = d.container;
  const environment = c?.environment?.length
    ? Object.fromEntries(
        c.environment.map((e) => [e.name ?? '', SECRET_NAME.test(e.name ?? '') ? '****' : (e.value ?? '')]),
      )
    : undefined;
  return {
    id: d.jobId,
    name: d.jobName,
    kind: kindOf(rec),
    queue: rec.meta.queueName,
    definition: rec.meta.definitionName,
    status: d.status as UiStatus,
    reason: d.statusReason,
    parent: rec.meta.parentId,
    index: rec.meta.arrayIndex ?? rec.meta.nodeIndex,
    createdAt: d.createdAt ?? attempts[0]?.start ?? 0,
    stoppedAt: d.stoppedAt,
    attempts: logs ? attempts.map((a) => ({ ...a, logTail: tail(logs(d.jobId, a.n)) })) : attempts,
    deps: (d.dependsOn ?? [])
      .filter((x) => x.jobId)
      .map((x) => (x.type ? { id: x.jobId ?? '', type: x.type } : { id: x.jobId ?? '' })),
    summary: d.arrayProperties?.statusSummary as Partial<Record<UiStatus, number>> | undefined,
    size: rec.meta.kind === 'array-parent' || rec.meta.kind === 'mnp-parent' ? rec.meta.size : undefined,
    runnable,
    parameters: d.parameters && Object.keys(d.parameters).length ? d.parameters : undefined,
    command: c?.command,
    environment,
    demand: { ...rec.meta.demand },
  };
}

/** The last lines of a log as `<timestamp> <stream> <message>`, keeping at most {@link TAIL_LINES} in memory. */
function tail(entries: Iterable<LogEntry> | undefined): string[] | undefined {
  if (!entries) return undefined;
  const ring: LogEntry[] = [];
  for (const e of entries) {
    ring.push(e);
    if (ring.length > TAIL_LINES) ring.shift();
  }
  if (ring.length === 0) return undefined;
  return ring.map((e) => {
    const l = `${e.timestamp ? `${e.timestamp} ` : ''}${e.stream} ${e.message}`;
    return l.length > TAIL_CHARS ? `${l.slice(0, TAIL_CHARS)}…` : l;
  });
}

/** The attempts of a job: from its status history when it has one, else from DescribeJobs' attempts. */
export function attemptsOf(rec: JobRecord): UiAttempt[] {
  const details = rec.detail.attempts ?? [];
  const history = rec.meta.history;
  const out: UiAttempt[] = [];
  if (history && history.length > 0) {
    let open: { n: number; start: number; running?: number; ce?: string } | undefined;
    const close = (end: number | undefined): void => {
      if (!open) return;
      out.push(finish(open, details[open.n - 1], end, rec));
      open = undefined;
    };
    for (const h of history) {
      if (h.status === 'STARTING') {
        close(h.at);
        open = { n: out.length + 1, start: h.at, ce: h.ce };
      } else if (h.status === 'RUNNING' && open) {
        open.running = h.at;
      } else if (open && (h.status === 'RUNNABLE' || h.status === 'SUCCEEDED' || h.status === 'FAILED')) {
        close(h.at);
      }
    }
    if (open) {
      const o: { n: number; start: number; running?: number; ce?: string } = open;
      out.push(finish(o, details[o.n - 1], undefined, rec));
    }
    return out;
  }
  // A record written before status histories were kept: the attempts AWS reports.
  details.forEach((a, i) => {
    if (a.startedAt === undefined) return;
    out.push(finish({ n: i + 1, start: a.startedAt, running: a.startedAt, ce: undefined }, a, a.stoppedAt, rec));
  });
  return out;
}

function finish(
  open: { n: number; start: number; running?: number; ce?: string },
  detail: AttemptDetail | undefined,
  end: number | undefined,
  rec: JobRecord,
): UiAttempt {
  const exitCode = detail?.container?.exitCode;
  const reasons = [detail?.container?.reason, detail?.statusReason].filter((r): r is string => !!r);
  const reason = reasons.length
    ? reasons.join('; ')
    : end !== undefined && rec.detail.status === 'FAILED'
      ? rec.detail.statusReason
      : undefined;
  let outcome: UiOutcome;
  if (end === undefined) outcome = 'running';
  else if (/timeout|timed out/i.test(reason ?? '')) outcome = 'timeout';
  else if (
    exitCode === 0 ||
    (exitCode === undefined && rec.detail.status === 'SUCCEEDED' && open.n === (rec.detail.attempts?.length ?? open.n))
  )
    outcome = 'succeeded';
  else outcome = 'failed';
  return {
    n: open.n,
    start: open.start,
    ...(open.running !== undefined ? { running: open.running } : {}),
    ...(end !== undefined ? { end } : {}),
    outcome,
    ...(exitCode !== undefined ? { exitCode } : {}),
    ...(reason ? { reason } : {}),
    ...(open.ce ? { ce: open.ce } : {}),
    ...(detail?.container?.logStreamName ? { logStream: detail.container.logStreamName } : {}),
  };
}

/** When the job entered RUNNABLE and when it left, from its history. */
export function runnableSpans(history: readonly StatusStamp[]): Array<readonly [number, number | undefined]> {
  const spans: Array<readonly [number, number | undefined]> = [];
  let since: number | undefined;
  for (const h of history) {
    if (h.status === 'RUNNABLE') since ??= h.at;
    else if (since !== undefined) {
      spans.push([since, h.at]);
      since = undefined;
    }
  }
  if (since !== undefined) spans.push([since, undefined]);
  return spans;
}

/** First fit: each attempt goes to the first lane free at its start (lanes = peak concurrency for sorted input). */
export function packLanes<T extends UiAttempt>(items: readonly T[]): T[][] {
  const sorted = [...items].sort((a, b) => a.start - b.start);
  const lanes: T[][] = [];
  const freeAt: number[] = [];
  for (const it of sorted) {
    let i = freeAt.findIndex((t) => t <= it.start);
    if (i < 0) {
      i = lanes.length;
      lanes.push([]);
      freeAt.push(0);
    }
    lanes[i]!.push(it);
    freeAt[i] = it.end ?? Infinity;
  }
  return lanes;
}

function cumulate(events: Array<{ t: number; d: number; m: number; g: number }>): UiCapacity['steps'] {
  // Releases before reservations at the same instant: a slot handed straight on is not counted twice.
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  const steps: Array<{ t: number; vcpus: number; memoryMiB: number; gpus: number }> = [];
  let v = 0;
  let m = 0;
  let g = 0;
  for (const e of events) {
    v += e.d;
    m += e.m;
    g += e.g;
    const step = { t: e.t, vcpus: round(v), memoryMiB: round(m), gpus: round(g) };
    if (steps.length && steps[steps.length - 1]!.t === e.t) steps[steps.length - 1] = step;
    else steps.push(step);
  }
  return steps;
}

function cumulateCount(events: Array<{ t: number; n: number }>): Array<{ t: number; n: number }> {
  events.sort((a, b) => a.t - b.t || a.n - b.n);
  const steps: Array<{ t: number; n: number }> = [];
  let n = 0;
  for (const e of events) {
    n += e.n;
    if (steps.length && steps[steps.length - 1]!.t === e.t) steps[steps.length - 1] = { t: e.t, n };
    else steps.push({ t: e.t, n });
  }
  return steps;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * The chain of top-level jobs that decided when the run ended: from the job that ended last, back
 * through the dependency that ended last at each step.
 */
export function criticalPath(
  records: readonly JobRecord[],
  byId: ReadonlyMap<string, JobRecord>,
  now: number,
): string[] {
  const top = records.filter(
    (r) => r.meta.kind === 'single' || r.meta.kind === 'array-parent' || r.meta.kind === 'mnp-parent',
  );
  if (top.length === 0) return [];
  const endOf = (r: JobRecord): number =>
    r.detail.stoppedAt ?? (r.detail.status === 'SUCCEEDED' || r.detail.status === 'FAILED' ? 0 : now);
  let cur = top.reduce((a, b) => (endOf(b) > endOf(a) ? b : a));
  const path = [cur.detail.jobId];
  const seen = new Set(path);
  for (;;) {
    const deps = (cur.detail.dependsOn ?? [])
      .map((x) => (x.jobId ? byId.get(x.jobId) : undefined))
      .filter((r): r is JobRecord => r !== undefined && !seen.has(r.detail.jobId));
    if (deps.length === 0) break;
    cur = deps.reduce((a, b) => (endOf(b) > endOf(a) ? b : a));
    path.push(cur.detail.jobId);
    seen.add(cur.detail.jobId);
  }
  return path.reverse();
}
