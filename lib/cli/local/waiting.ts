/**
 * What `batchkit local run` says while nothing visibly happens: after a quiet spell (no progress
 * line for `afterMs`), one line saying what the run waits for — jobs RUNNING, jobs RUNNABLE with
 * why they have not started (capacity busy, …), jobs PENDING on their dependencies — repeated
 * every `everyMs` while the quiet lasts. And the final summary table for a terminal.
 */
import type { JobDetail, JobStatus } from '../../core/model/job';
import { formatCounts } from './progress';

/** What the notice needs from the executor. */
export interface WaitSource {
  describeJobs(jobIds: string[]): JobDetail[];
  whyRunnable(jobId: string): string[];
}

/** Seconds as `4.2s`, `95s`, `2m05s`. */
export function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 100) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
}

/** One line: what the open jobs of a run wait for, or undefined when every job is final. */
export function describeWait(
  source: WaitSource,
  jobs: ReadonlyArray<{ name: string; jobId: string }>,
): string | undefined {
  const names = new Map(jobs.map((j) => [j.jobId, j.name]));
  const open = source
    .describeJobs(jobs.map((j) => j.jobId))
    .filter((d) => d.status !== 'SUCCEEDED' && d.status !== 'FAILED');
  if (open.length === 0) return undefined;
  const parts: string[] = [];
  const by = (s: JobStatus) => open.filter((d) => d.status === s);
  const running = by('RUNNING').concat(by('STARTING'));
  if (running.length) parts.push(`${running.map((d) => names.get(d.jobId) ?? d.jobName).join(', ')} running`);
  for (const d of by('RUNNABLE')) {
    const why = source.whyRunnable(d.jobId);
    parts.push(
      `${names.get(d.jobId) ?? d.jobName} RUNNABLE` +
        `${why.length ? `: ${why[why.length - 1]!.replace(/\.$/, '')}` : ''}`,
    );
  }
  for (const d of by('PENDING')) {
    const name = names.get(d.jobId) ?? d.jobName;
    const counts = d.arrayProperties?.statusSummary;
    // An array whose children have started is waiting on them: show their counts.
    if (
      counts &&
      (['RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const).some((s) => (counts[s] ?? 0) > 0)
    ) {
      parts.push(`${name}: ${formatCounts(counts)}`);
      continue;
    }
    const deps = (d.dependsOn ?? []).map((x) => names.get(x.jobId ?? '') ?? x.jobId ?? '').filter((x) => x !== '');
    parts.push(`${name} PENDING${deps.length ? ` on ${deps.join(', ')}` : ''}`);
  }
  const submitted = by('SUBMITTED');
  if (submitted.length) parts.push(`${submitted.length} SUBMITTED`);
  return parts.join('; ');
}

/** Prints {@link describeWait} after a quiet spell; `tick` is called by a timer (or a test). */
export class WaitNotice {
  private lastActivity: number;
  private lastNotice = -Infinity;

  constructor(
    private readonly source: WaitSource,
    private readonly jobs: ReadonlyArray<{ name: string; jobId: string }>,
    private readonly say: (line: string) => void,
    private readonly now: () => number,
    private readonly afterMs = 5000,
    private readonly everyMs = 10_000,
  ) {
    this.lastActivity = now();
  }

  /** Something visible happened (a progress line). */
  activity(): void {
    this.lastActivity = this.now();
  }

  /** Says what the run waits for when it has been quiet long enough. */
  tick(): void {
    const t = this.now();
    if (t - this.lastActivity < this.afterMs || t - this.lastNotice < this.everyMs) return;
    const what = describeWait(this.source, this.jobs);
    if (what === undefined) return;
    this.lastNotice = t;
    this.say(`waiting ${duration(t - this.lastActivity)} with no change: ${what}`);
  }
}

/** The final table of a run on a terminal: job, status, attempts, duration, reason. */
export function renderSummaryTable(
  details: readonly JobDetail[],
  blocked: ReadonlyMap<string, string[]>,
  now: number,
): string {
  const rows = details.map((d) => {
    const size = d.arrayProperties?.size;
    const attempts =
      size !== undefined
        ? `${size} children`
        : d.nodeProperties?.numNodes !== undefined
          ? `${d.nodeProperties.numNodes} nodes`
          : String(d.attempts?.length ?? 0);
    const from = d.startedAt ?? d.createdAt;
    const took = from === undefined ? '-' : duration((d.stoppedAt ?? now) - from);
    const why = blocked.get(d.jobId);
    const reason = d.status === 'SUCCEEDED' ? '' : why ? (why[why.length - 1] ?? '') : (d.statusReason ?? '');
    return [d.jobName, d.status, attempts, took, reason];
  });
  const header = ['JOB', 'STATUS', 'ATTEMPTS', 'DURATION', 'REASON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
