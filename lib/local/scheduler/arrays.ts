/** Array jobs: spawning children and keeping the parent's `statusSummary`. */
import type { JobDetail, JobStatus } from '../../core/model/job';
import type { JobRecord } from './job-record';
import { initialStatus } from './states';

/** Builds the children of an array parent, PENDING, with their dependencies (whole, N_TO_N, SEQUENTIAL). */
export function spawnChildren(parent: JobRecord, now: number, nextSeq: () => number): JobRecord[] {
  const size = parent.meta.size ?? 0;
  const deps = parent.meta.arrayDependencies ?? { whole: [], nToN: [], sequential: false };
  const children: JobRecord[] = [];
  for (let i = 0; i < size; i++) {
    const jobId = `${parent.detail.jobId}:${i}`;
    const waitingOn = [...deps.whole, ...deps.nToN.map((d) => `${d}:${i}`)];
    if (deps.sequential && i > 0) waitingOn.push(`${parent.detail.jobId}:${i - 1}`);
    const p = parent.detail;
    const detail: JobDetail = {
      jobArn: p.jobArn ? `${p.jobArn}:${i}` : undefined,
      jobName: p.jobName,
      jobId,
      jobQueue: p.jobQueue,
      status: initialStatus('spawned'),
      attempts: [],
      createdAt: now,
      retryStrategy: p.retryStrategy,
      dependsOn: [
        ...deps.whole.map((d) => ({ jobId: d })),
        ...deps.nToN.map((d) => ({ jobId: `${d}:${i}`, type: 'N_TO_N' as const })),
        ...(deps.sequential && i > 0 ? [{ jobId: `${p.jobId}:${i - 1}`, type: 'SEQUENTIAL' as const }] : []),
      ],
      jobDefinition: p.jobDefinition,
      parameters: p.parameters,
      // Shallow copy: attempts only set the container's own top-level fields (exitCode, taskArn, ...).
      container: p.container ? { ...p.container } : undefined,
      arrayProperties: { statusSummary: {}, index: i },
      timeout: p.timeout,
      tags: p.tags,
      propagateTags: p.propagateTags,
      platformCapabilities: p.platformCapabilities,
    };
    // Multi-container jobs: each child has its own copy of the containers it records exits on.
    if (p.ecsProperties) detail.ecsProperties = JSON.parse(JSON.stringify(p.ecsProperties));
    if (p.eksProperties) detail.eksProperties = JSON.parse(JSON.stringify(p.eksProperties));
    if (p.eksAttempts) detail.eksAttempts = [];
    if (p.shareIdentifier !== undefined) detail.shareIdentifier = p.shareIdentifier;
    if (p.schedulingPriority !== undefined) detail.schedulingPriority = p.schedulingPriority;
    children.push({
      detail,
      meta: {
        kind: 'array-child',
        queueName: parent.meta.queueName,
        definitionName: parent.meta.definitionName,
        seq: nextSeq(),
        waitingOn,
        parentId: p.jobId,
        arrayIndex: i,
        demand: parent.meta.demand,
        ...(parent.meta.group ? { group: parent.meta.group } : {}),
      },
    });
  }
  return children;
}

/** Moves one child from `from` to `to` in the parent's `statusSummary` (`from` undefined: a new child). */
export function countChild(parent: JobDetail, from: JobStatus | undefined, to: JobStatus): void {
  const s = (parent.arrayProperties ??= {}).statusSummary ?? (parent.arrayProperties.statusSummary = {});
  if (from) s[from] = Math.max(0, (s[from] ?? 0) - 1);
  s[to] = (s[to] ?? 0) + 1;
}

/**
 * Recomputes the parent's `statusSummary` from its children's statuses (`child(i)`, undefined for a
 * child not created yet): the summary is derived data, so a restart never trusts stored counts.
 */
export function recountChildren(parent: JobDetail, child: (index: number) => JobStatus | undefined): void {
  const s: Record<string, number> = {
    STARTING: 0,
    FAILED: 0,
    RUNNING: 0,
    SUCCEEDED: 0,
    RUNNABLE: 0,
    SUBMITTED: 0,
    PENDING: 0,
  };
  for (let i = 0; i < (parent.arrayProperties?.size ?? 0); i++) {
    const status = child(i);
    if (status !== undefined) s[status] += 1;
  }
  (parent.arrayProperties ??= {}).statusSummary = s;
}

/** The parent's final status once every child is final, or undefined while some child is not. */
export function parentOutcome(parent: JobDetail): 'SUCCEEDED' | 'FAILED' | undefined {
  const s = parent.arrayProperties?.statusSummary ?? {};
  const size = parent.arrayProperties?.size ?? 0;
  const done = (s.SUCCEEDED ?? 0) + (s.FAILED ?? 0);
  if (done < size) return undefined;
  return (s.FAILED ?? 0) > 0 ? 'FAILED' : 'SUCCEEDED';
}
