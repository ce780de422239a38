/**
 * A submitted job as a test sees it: its id, its record as DescribeJobs shows it, its output, its
 * children, and the controls (cancel, terminate).
 */
import { BatchkitError } from '../core/errors';
import type { JobDetail } from '../core/model/job';
import type { LocalExecutor } from '../local/executor';
import { parseLogText } from '../local/runtime/log-demux';

/** A finished job: its record (status, attempts, statusReason, ...) plus its output and children. */
export interface FinishedJob extends JobDetail {
  /** The job's handle. */
  readonly handle: JobHandle;
  /** Output of an attempt; see {@link JobHandle.logs}. */
  logs(attempt?: number): Promise<string>;
  /** Children of an array or multi-node job; see {@link JobHandle.children}. */
  children(): JobHandle[];
}

/** Error codes of job handles. */
export const JOB_ERRORS = {
  /** The job can never finish: nothing can make progress and it is not SUCCEEDED or FAILED. */
  stalled: 'BATCHKIT-TESTING-201',
  /** The LocalBatch was closed while the job was awaited. */
  closed: 'BATCHKIT-TESTING-202',
} as const;

/** What a handle needs from its LocalBatch. */
export interface HandleHost {
  readonly executor: LocalExecutor;
  /** Rejects when the LocalBatch is closed. */
  readonly closed: Promise<never>;
}

/** A submitted job. */
export class JobHandle {
  constructor(
    private readonly host: HandleHost,
    /** The job id (`uuid`, `uuid:3` for an array child, `uuid#0` for a node). */
    readonly jobId: string,
    /** The job name. */
    readonly jobName: string,
  ) {}

  /** The job as DescribeJobs shows it now. */
  describe(): JobDetail {
    const [detail] = this.host.executor.describeJobs([this.jobId]);
    return detail;
  }

  /**
   * Resolves with the job once it is SUCCEEDED or FAILED (a FAILED job resolves too: assert on
   * `status` and `statusReason`). Rejects with `BATCHKIT-TESTING-201` when nothing can make progress
   * any more and the job is not finished (a job RUNNABLE forever, with the reasons), and with
   * `BATCHKIT-TESTING-202` when the LocalBatch is closed first.
   */
  async wait(): Promise<FinishedJob> {
    const executor = this.host.executor;
    const stalled = executor.waitForIdle().then(() => {
      const now = this.describe();
      if (now.status === 'SUCCEEDED' || now.status === 'FAILED') return now;
      const why = executor.whyRunnable(this.jobId);
      throw new BatchkitError(
        JOB_ERRORS.stalled,
        'input',
        `Job ${this.jobName} (${this.jobId}) is ${now.status} and can never ` +
          `finish: nothing else can make progress.${why.length ? ` ${why.join(' ')}` : ''}`,
        {
          fix:
            'check the job queue (state, compute environments that fit the job) and ' +
            'the jobs it depends on; LocalBatch options maxVcpus/maxMemoryMiB cap every environment.',
        },
      );
    });
    const detail = await Promise.race([executor.waitForJob(this.jobId), stalled, this.host.closed]);
    return this.finished(detail);
  }

  /**
   * The job's output: the messages of stdout and stderr as written, one per line (timestamps and
   * stream names left out), of `attempt` (1-based; @default - the running attempt, else the last one).
   * For an array or multi-node parent: the output of its children (by index), one after the other.
   */
  async logs(attempt?: number): Promise<string> {
    const executor = this.host.executor;
    const detail = this.describe();
    const kids = this.children();
    if (kids.length > 0 && (detail.attempts?.length ?? 0) === 0) {
      return (await Promise.all(kids.map((k) => k.logs(attempt)))).join('');
    }
    const text = attempt === undefined ? await executor.currentLogs(this.jobId) : executor.logs(this.jobId, attempt);
    return parseLogText(text)
      .map((e) => `${e.message}\n`)
      .join('');
  }

  /** Children: array children `<id>:<index>` or multi-node nodes `<id>#<node>`, by index; empty for other jobs. */
  children(): JobHandle[] {
    const detail = this.describe();
    const size = detail.arrayProperties?.size ?? 0;
    if (size > 0 && detail.arrayProperties?.index === undefined) {
      return Array.from({ length: size }, (_, i) => new JobHandle(this.host, `${this.jobId}:${i}`, this.jobName));
    }
    const nodes = detail.nodeProperties?.numNodes ?? 0;
    if (nodes > 0 && !this.jobId.includes('#')) {
      return Array.from(
        { length: nodes },
        (_, i) => new JobHandle(this.host, `${this.jobId}#${i}`, this.jobName),
      ).filter((h) => h.describe() !== undefined);
    }
    return [];
  }

  /** CancelJob: fails the job if it has not reached STARTING; a no-op afterwards. */
  cancel(reason = 'Cancelled by the test'): void {
    this.host.executor.cancelJob(this.jobId, reason);
  }

  /** TerminateJob: fails the job in any non-final state, stopping its container (SIGTERM, SIGKILL 30 s later). */
  terminate(reason = 'Terminated by the test'): void {
    this.host.executor.terminateJob(this.jobId, reason);
  }

  private finished(detail: JobDetail): FinishedJob {
    return { ...detail, handle: this, logs: (attempt?: number) => this.logs(attempt), children: () => this.children() };
  }
}
