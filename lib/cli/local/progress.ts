/**
 * Progress of `batchkit local run` on stderr, driven by the executor's job state change events:
 * a line per status change of each submitted job; for array jobs the counts per status, drawn as
 * a bar rewritten in place when stderr is a terminal and as throttled lines otherwise.
 */
import { isJobStateChangeEvent, type BatchJobEvent } from '../../core/model/events';
import { JOB_STATUSES, type JobStatus } from '../../core/model/job';

/** Where progress goes. */
export interface ProgressOutput {
  /** Writes text. */
  write(text: string): void;
  /** Whether it is a terminal (bar drawn in place). */
  readonly isTTY?: boolean;
}

/** Counts per status, in life-cycle order, as `SUCCEEDED 3 RUNNING 2` (zeros left out). */
export function formatCounts(counts: Partial<Record<JobStatus, number>>): string {
  return JOB_STATUSES.filter((s) => (counts[s] ?? 0) > 0)
    .map((s) => `${s} ${counts[s]}`)
    .join('  ');
}

/** A text bar of `done` out of `total`, `width` characters wide. */
export function progressBar(done: number, total: number, width = 30): string {
  const filled = total <= 0 ? width : Math.min(width, Math.round((done / total) * width));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** Follows the submitted jobs and reports them on `out`. */
export class ProgressReporter {
  private readonly names = new Map<string, string>();
  private readonly lastStatus = new Map<string, JobStatus>();
  private readonly failedReason = new Map<string, string>();
  private readonly lastCounts = new Map<string, string>();
  private readonly lastDrawn = new Map<string, number>();
  private barOpen = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly now: () => number = Date.now,
    private readonly throttleMs = 1000,
  ) {}

  /** Follows a submitted job. */
  track(jobId: string, jobName: string): void {
    this.names.set(jobId, jobName);
  }

  /**
   * Handles one event of the executor; only job state changes are progress ("Batch Job Queue Blocked" is reported
   * at the end of the run).
   */
  onEvent(event: BatchJobEvent): void {
    if (!isJobStateChangeEvent(event)) return;
    const d = event.detail;
    if (!this.names.has(d.jobId)) return;
    const size = d.arrayProperties?.size;
    const summary = d.arrayProperties?.statusSummary;
    if (size !== undefined && summary !== undefined) this.drawArray(d.jobId, size, summary, d.status);
    if (this.lastStatus.get(d.jobId) !== d.status) {
      this.lastStatus.set(d.jobId, d.status);
      const reason = d.status === 'FAILED' && d.statusReason ? `: ${d.statusReason}` : '';
      if (d.status === 'FAILED' && d.statusReason) this.failedReason.set(d.jobId, d.statusReason);
      this.line(`${this.names.get(d.jobId)} (${d.jobId}) ${d.status}${reason}`);
    }
  }

  /** True when a progress line already reported the job FAILED with this reason. */
  reportedFailed(jobId: string, reason: string | undefined): boolean {
    return this.lastStatus.get(jobId) === 'FAILED' && reason !== undefined && this.failedReason.get(jobId) === reason;
  }

  /** Redraws an array's counts (also used for child events, with the parent's current summary). */
  drawArray(jobId: string, size: number, counts: Partial<Record<JobStatus, number>>, status: JobStatus): void {
    const done = (counts.SUCCEEDED ?? 0) + (counts.FAILED ?? 0);
    const text = `${this.names.get(jobId) ?? jobId}: ${done}/${size} done  ${formatCounts(counts)}`;
    if (this.lastCounts.get(jobId) === text) return;
    this.lastCounts.set(jobId, text);
    const final = status === 'SUCCEEDED' || status === 'FAILED' || done === size;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${progressBar(done, size)} ${text}`);
      this.barOpen = true;
      if (final) this.endBar();
      return;
    }
    const last = this.lastDrawn.get(jobId);
    if (final || last === undefined || this.now() - last >= this.throttleMs) {
      this.lastDrawn.set(jobId, this.now());
      this.out.write(`${text}\n`);
    }
  }

  /** Writes a message line (closing an open bar first). */
  line(text: string): void {
    this.endBar();
    this.out.write(`${text}\n`);
  }

  private endBar(): void {
    if (this.barOpen) {
      this.out.write('\n');
      this.barOpen = false;
    }
  }
}
