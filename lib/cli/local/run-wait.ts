/**
 * Waiting for the jobs of a run: their final states, or a stall (jobs RUNNABLE that no compute
 * environment can ever start, as AWS's "Batch Job Queue Blocked" reports), live array counts, and
 * `--follow` log printing as the lines are written.
 */
import { isJobStateChangeEvent } from '../../core/model/events';
import type { JobDetail } from '../../core/model/job';
import type { LocalExecutor } from '../../local/executor';
import type { ProgressReporter } from './progress';

/** How the wait ended: jobs left RUNNABLE with why. */
export interface RunOutcome {
  /** Job id → reasons, for jobs that can never start. */
  readonly blocked: ReadonlyMap<string, string[]>;
}

const FINAL = new Set(['SUCCEEDED', 'FAILED']);

/** Waits until every job is final, or until nothing can make progress any more. */
export async function waitForOutcome(
  executor: LocalExecutor,
  jobs: ReadonlyArray<{ name: string; jobId: string }>,
  reporter: ProgressReporter,
): Promise<RunOutcome> {
  const stopCounts = followArrayCounts(executor, jobs, reporter);
  try {
    const all = Promise.all(jobs.map((j) => executor.waitForJob(j.jobId))).then(() => 'done' as const);
    for (let idleRounds = 0; ;) {
      const first = await Promise.race([all, executor.waitForIdle().then(() => 'idle' as const)]);
      if (first === 'done') return { blocked: new Map() };
      const open = executor.describeJobs(jobs.map((j) => j.jobId)).filter((d) => !FINAL.has(d.status));
      if (open.length === 0) return { blocked: new Map() };
      // Idle twice in a row with open jobs, a moment apart: they are stuck.
      idleRounds += 1;
      if (idleRounds >= 2) return { blocked: new Map(open.map((d) => [d.jobId, blockedReasons(executor, d)])) };
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    stopCounts();
  }
}

function blockedReasons(executor: LocalExecutor, d: JobDetail): string[] {
  const own = executor.whyRunnable(d.jobId);
  if (own.length > 0) return own;
  // An array parent waits on its children: report the first stuck child's reasons.
  if (d.arrayProperties?.size !== undefined) {
    for (let i = 0; i < d.arrayProperties.size; i++) {
      const child = executor.whyRunnable(`${d.jobId}:${i}`);
      if (child.length > 0) return [`child ${i}: ${child[0]}`, ...child.slice(1)];
    }
  }
  return [`the job is ${d.status} and nothing can move it on`];
}

/** Redraws array counts on child events, at most every 100 ms per array. */
function followArrayCounts(
  executor: LocalExecutor,
  jobs: ReadonlyArray<{ name: string; jobId: string }>,
  reporter: ProgressReporter,
): () => void {
  const tracked = new Set(jobs.map((j) => j.jobId));
  const pending = new Map<string, NodeJS.Timeout>();
  const unsubscribe = executor.onEvent((event) => {
    if (!isJobStateChangeEvent(event)) return;
    const id = event.detail.jobId;
    const colon = id.indexOf(':');
    if (colon < 0) return;
    const parent = id.slice(0, colon);
    if (!tracked.has(parent) || pending.has(parent)) return;
    const timer = setTimeout(() => {
      pending.delete(parent);
      const [p] = executor.describeJobs([parent]);
      const size = p?.arrayProperties?.size;
      const summary = p?.arrayProperties?.statusSummary;
      if (p && size !== undefined && summary !== undefined) reporter.drawArray(parent, size, summary, p.status);
    }, 100);
    pending.set(parent, timer);
  });
  return () => {
    unsubscribe();
    for (const t of pending.values()) clearTimeout(t);
  };
}

/**
 * Prints each line of every container job, array child or node on `out` as the container writes
 * it, prefixed `name | `, `name[index] | ` or `name#node | `. Returns the stop function.
 */
export function followLogs(executor: LocalExecutor, out: { write(text: string): void }): () => void {
  const labels = new Map<string, string>();
  const label = (jobId: string): string => {
    let l = labels.get(jobId);
    if (l === undefined) {
      const [d] = executor.describeJobs([jobId]);
      l =
        d?.arrayProperties?.index !== undefined
          ? `${d.jobName}[${d.arrayProperties.index}]`
          : d?.nodeDetails?.nodeIndex !== undefined
            ? `${d.jobName}#${d.nodeDetails.nodeIndex}`
            : (d?.jobName ?? jobId);
      labels.set(jobId, l);
    }
    return l;
  };
  return executor.onLog((line) => out.write(`${label(line.jobId)} | ${line.message}\n`));
}

/**
 * Reasons as one line: a reason that already ends a sentence or introduces the next (`.`, `:`,
 * `;`, `!`, `?`) is followed by a space, any other by `; `.
 */
export function joinReasons(reasons: readonly string[]): string {
  return reasons
    .map((r) => r.trim())
    .filter((r) => r !== '')
    .reduce((line, r) => (line === '' ? r : `${line}${/[.:;!?]$/.test(line) ? ' ' : '; '}${r}`), '');
}

/** One line per job: name, id, status, and the reason of a job that did not succeed. */
export function renderOutcome(details: readonly JobDetail[], blocked: ReadonlyMap<string, string[]>): string {
  return details
    .map((d) => {
      const why = blocked.get(d.jobId);
      const reason =
        d.status === 'SUCCEEDED' ? '' : why ? `\t${joinReasons(why)}` : d.statusReason ? `\t${d.statusReason}` : '';
      return `${d.jobName}\t${d.jobId}\t${d.status}${reason}\n`;
    })
    .join('');
}
