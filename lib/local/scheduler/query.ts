/** ListJobs over the scheduler's records, with AWS's rules for status and filters. */
import type { JobStatus, JobSummary } from '../../core/model/job';
import { BatchkitError } from '../../core/errors';
import { nameOf } from './capacity';
import type { JobRecord } from './job-record';

/** ListJobs' query. */
export interface ListJobsQuery {
  /** Queue name or ARN. */
  jobQueue?: string;
  /** Children of this array job. */
  arrayJobId?: string;
  /** Nodes of this multi-node job. */
  multiNodeJobId?: string;
  /** Status. @default - RUNNING when no filter is given, as AWS does */
  jobStatus?: JobStatus;
  /** JOB_NAME, JOB_DEFINITION, BEFORE_CREATED_AT, AFTER_CREATED_AT, SHARE_IDENTIFIER (one at a time). */
  filters?: { name: string; values: string[] }[];
}

/** A record as a ListJobs line. */
export function summarize(r: JobRecord): JobSummary {
  const d = r.detail;
  const s: JobSummary = {
    jobArn: d.jobArn,
    jobId: d.jobId,
    jobName: d.jobName,
    createdAt: d.createdAt,
    status: d.status,
    jobDefinition: d.jobDefinition,
  };
  if (d.statusReason !== undefined) s.statusReason = d.statusReason;
  if (d.startedAt !== undefined) s.startedAt = d.startedAt;
  if (d.stoppedAt !== undefined) s.stoppedAt = d.stoppedAt;
  if (d.container && (d.container.exitCode !== undefined || d.container.reason !== undefined)) {
    s.container = { exitCode: d.container.exitCode, reason: d.container.reason };
  }
  if (d.arrayProperties) s.arrayProperties = { size: d.arrayProperties.size, index: d.arrayProperties.index };
  if (d.nodeDetails) s.nodeProperties = { isMainNode: d.nodeDetails.isMainNode, nodeIndex: d.nodeDetails.nodeIndex };
  if (d.nodeProperties) s.nodeProperties = { numNodes: d.nodeProperties.numNodes };
  return s;
}

function glob(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const v = caseInsensitive ? value.toLowerCase() : value;
  return p.endsWith('*') ? v.startsWith(p.slice(0, -1)) : v === p;
}

function matchesFilter(r: JobRecord, f: { name: string; values: string[] }): boolean {
  const d = r.detail;
  switch (f.name) {
    case 'JOB_NAME':
      return f.values.some((v) => glob(v, d.jobName, true));
    case 'JOB_DEFINITION':
      return f.values.some((v) =>
        v.startsWith('arn:') ? d.jobDefinition === v : glob(v, nameOf(d.jobDefinition).replace(/:\d+$/, ''), false),
      );
    case 'BEFORE_CREATED_AT':
      return f.values.some((v) => (d.createdAt ?? 0) < Number(v));
    case 'AFTER_CREATED_AT':
      return f.values.some((v) => (d.createdAt ?? 0) > Number(v));
    case 'SHARE_IDENTIFIER':
      return f.values.includes(d.shareIdentifier ?? '');
    default:
      throw new BatchkitError(
        'BATCHKIT-LOCAL-201',
        'input',
        `ListJobs filters: unknown filter name "${f.name}". Allowed: JOB_NAME, ` +
          `JOB_DEFINITION, BEFORE_CREATED_AT, AFTER_CREATED_AT, SHARE_IDENTIFIER.`,
      );
  }
}

const FILTER_NAMES = ['JOB_NAME', 'JOB_DEFINITION', 'BEFORE_CREATED_AT', 'AFTER_CREATED_AT', 'SHARE_IDENTIFIER'];

/**
 * An unknown filter name, or a creation-time filter whose value is not a time in ms since the epoch, is an input
 * error.
 */
function checkFilter(f: { name: string; values: string[] }): void {
  if (!FILTER_NAMES.includes(f.name)) {
    throw new BatchkitError(
      'BATCHKIT-LOCAL-201',
      'input',
      `ListJobs filters: unknown filter name "${f.name}". Allowed: ${FILTER_NAMES.join(', ')}.`,
    );
  }
  if (f.name !== 'BEFORE_CREATED_AT' && f.name !== 'AFTER_CREATED_AT') return;
  f.values.forEach((v, i) => {
    if (!/^\d{1,16}$/.test(v.trim())) {
      throw new BatchkitError(
        'BATCHKIT-LOCAL-201',
        'input',
        `ListJobs filters[0].values[${i}]: ${JSON.stringify(v)} is not a time ` +
          `for ${f.name}. Allowed: the number of milliseconds since 1970-01-01T00:00:00Z, as a string of digits.`,
        { fix: `pass e.g. "${Date.UTC(2026, 0, 1)}" (2026-01-01T00:00:00Z).` },
      );
    }
  });
}

/**
 * ListJobs: exactly one of jobQueue, arrayJobId, multiNodeJobId; without filters only `jobStatus`
 * (default RUNNING) is listed; with a filter every status is. Queue listings leave out array
 * children and nodes. Most recent first.
 */
export function listJobs(all: Iterable<JobRecord>, q: ListJobsQuery): JobSummary[] {
  const scopes = [q.jobQueue, q.arrayJobId, q.multiNodeJobId].filter((x) => x !== undefined).length;
  if (scopes !== 1) {
    throw new BatchkitError(
      'BATCHKIT-LOCAL-201',
      'input',
      `ListJobs: give exactly one of jobQueue, arrayJobId or multiNodeJobId (got ${scopes}).`,
    );
  }
  if ((q.filters?.length ?? 0) > 1)
    throw new BatchkitError('BATCHKIT-LOCAL-201', 'input', 'ListJobs filters: only one filter can be used at a time.');
  const filter = q.filters?.[0];
  if (filter) checkFilter(filter);
  const status = filter && filter.name !== 'SHARE_IDENTIFIER' ? undefined : (q.jobStatus ?? 'RUNNING');
  const out: JobRecord[] = [];
  for (const r of all) {
    if (
      q.jobQueue !== undefined &&
      (r.meta.queueName !== nameOf(q.jobQueue) || r.meta.kind === 'array-child' || r.meta.kind === 'mnp-node')
    )
      continue;
    if (q.arrayJobId !== undefined && !(r.meta.kind === 'array-child' && r.meta.parentId === q.arrayJobId)) continue;
    if (q.multiNodeJobId !== undefined && !(r.meta.kind === 'mnp-node' && r.meta.parentId === q.multiNodeJobId))
      continue;
    if (status !== undefined && r.detail.status !== status) continue;
    if (filter && !matchesFilter(r, filter)) continue;
    out.push(r);
  }
  return out
    .sort((a, b) => (b.detail.createdAt ?? 0) - (a.detail.createdAt ?? 0) || b.meta.seq - a.meta.seq)
    .map(summarize);
}
