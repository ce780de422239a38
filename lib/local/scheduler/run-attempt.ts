/**
 * One attempt of a job, as the scheduler drives it: the container run (or followed, after a
 * restart) with the job's container, secrets, `AWS_BATCH_*` variables, timeout and logs, recorded on
 * the job's attempts; and the verdict after it (SUCCEEDED, a retry, or FAILED).
 */
import type { JobDetail, JobStatus } from '../../core/model/job';
import { firstMatchingAction } from '../../core/rules/retry-patterns';
import { AttemptRunner, attemptIds, type AttemptIds, type AttemptResult } from '../attempt-runner';
import type { RunningContainer } from '../runtime/container-runtime';
import { resumedIds } from './attempt-logs';
import { recordAttempt } from './attempt-record';
import { withTerminate } from './control';
import type { JobRecord } from './job-record';
import type { SchedulerOptions } from './scheduler';

/** How an attempt runs. */
export interface AttemptOptions {
  /** Network mode. @default - the one the executor chooses for the job's platform */
  readonly network?: 'none' | 'host';
  /** Apply the job's timeout (multi-node nodes other than the main node do not). @default true */
  readonly timeout?: boolean;
  /** Called once the container runs. @default - nothing */
  readonly onRunning?: () => void;
  /** Receives the exited container, which the caller removes once the outcome is stored. @default - removed at once */
  readonly keep?: (c: RunningContainer) => void;
}

/** What an attempt needs of the scheduler. */
export interface AttemptHost {
  readonly o: SchedulerOptions;
  /** The attempts running now, by job id (for terminate). */
  readonly runners: Map<string, AttemptRunner>;
  /** The container runs: move the job to RUNNING (or store it, when it is already there). */
  readonly running: (rec: JobRecord) => void;
}

/** Runs one attempt of `rec` and records it on the job (attempts[], container fields, logs). */
export async function runAttempt(
  host: AttemptHost,
  rec: JobRecord,
  batchEnv: Record<string, string>,
  attach: RunningContainer | undefined,
  options: AttemptOptions,
): Promise<AttemptResult> {
  const { o } = host;
  const d = rec.detail;
  const attempt = (d.attempts?.length ?? 0) + 1;
  const ceName = rec.meta.ceName ?? '';
  const ids: AttemptIds = (attach && resumedIds(rec)) || attemptIds(rec.meta.definitionName, ceName, o.env);
  const log = o.logs.begin({ jobId: d.jobId, attempt, logStreamName: ids.logStreamName });
  const container = rec.meta.nodeContainer ?? d.container ?? {};
  const timeoutS = options.timeout === false ? undefined : d.timeout?.attemptDurationSeconds;
  const runner = new AttemptRunner(o.runtime, o.clock, {
    runId: o.runId,
    job: d,
    container,
    attempt,
    queueName: rec.meta.queueName,
    ceName,
    secrets: o.secrets,
    batchEnv: {
      ...(rec.meta.arrayIndex !== undefined ? { AWS_BATCH_JOB_ARRAY_INDEX: String(rec.meta.arrayIndex) } : {}),
      ...batchEnv,
    },
    network: options.network,
    onLogs: (lines) => log.push(lines),
    skipLines: log.stored,
    keep: options.keep,
    // A re-attached attempt keeps the countdown that started at its startedAt.
    timeoutMs:
      timeoutS === undefined
        ? undefined
        : Math.max(0, timeoutS * 1000 - (attach && d.startedAt !== undefined ? o.clock.now() - d.startedAt : 0)),
  });
  host.runners.set(d.jobId, runner);
  if (rec.meta.terminateReason !== undefined) runner.terminate(rec.meta.terminateReason);
  o.store.save(rec);
  const onRunning = (): void => {
    const c = (d.container ??= {});
    c.containerInstanceArn = ids.containerInstanceArn;
    c.taskArn = ids.taskArn;
    c.logStreamName = ids.logStreamName;
    host.running(rec);
    options.onRunning?.();
  };
  const result = withTerminate(
    o.store,
    rec,
    attach ? await runner.follow(attach, onRunning) : await runner.run(onRunning),
  );
  host.runners.delete(d.jobId);
  log.close(result.logs);
  recordAttempt(d, result, ids, d.startedAt, o.clock.now());
  return result;
}

/** SUCCEEDED, a retry (RUNNABLE) or FAILED after an attempt, with the status reason. */
export function attemptVerdict(d: JobDetail, r: AttemptResult): { status: JobStatus; reason: string | undefined } {
  if (r.started && r.exitCode === 0 && !r.terminated && !r.timedOut)
    return { status: 'SUCCEEDED', reason: r.statusReason };
  const finalReason = r.containerReason ?? r.statusReason;
  if (r.terminated || r.timedOut) return { status: 'FAILED', reason: finalReason };
  const allowed = d.retryStrategy?.attempts ?? 1;
  const used = d.attempts?.length ?? 0;
  const action = firstMatchingAction(d.retryStrategy?.evaluateOnExit, {
    exitCode: r.exitCode,
    reason: r.containerReason,
    statusReason: r.statusReason,
  });
  return used < allowed && action !== 'EXIT'
    ? { status: 'RUNNABLE', reason: r.statusReason }
    : { status: 'FAILED', reason: finalReason };
}
