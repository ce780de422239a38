/**
 * Restart recovery: jobs that were STARTING or RUNNING when a previous `batchkit` stopped are
 * re-attached to their containers (found by the `batchkit.job-id` and `batchkit.attempt` labels),
 * recorded as finished when their container already exited, or failed with a clear reason when it
 * vanished. Containers of this store's jobs that belong to no active attempt
 * are removed; containers of jobs this store does not know (another executor's) are left alone.
 */
import { LABELS, type ContainerRuntime, type FoundContainer } from '../runtime/container-runtime';
import type { JobRecord } from '../scheduler/job-record';
import type { Scheduler } from '../scheduler/scheduler';

/** Reason of an attempt whose container disappeared while batchkit was not running. */
export const CONTAINER_VANISHED =
  'CannotInspectContainerError: the container of this attempt vanished while batchkit was not running';
/** Reason of a multi-node job interrupted by a restart. */
export const MULTI_NODE_INTERRUPTED = 'Multi-node job interrupted: batchkit stopped while its nodes ran';

/** What recovery did. */
export interface RecoveryReport {
  /** Jobs whose running container was re-attached. */
  readonly reattached: string[];
  /** Jobs whose container had exited meanwhile (its exit is recorded). */
  readonly finished: string[];
  /** Jobs whose container was gone (attempt failed). */
  readonly vanished: string[];
  /** Containers removed because no active attempt owns them. */
  readonly reaped: string[];
}

/** Loads records into the scheduler and reconciles them with the engine's containers. */
export async function recoverJobs(s: Scheduler, records: readonly JobRecord[], runtime: ContainerRuntime): Promise<RecoveryReport> {
  const report: RecoveryReport = { reattached: [], finished: [], vanished: [], reaped: [] };
  const known = new Set(records.map((r) => r.detail.jobId));
  // List the engine's containers before the records reach the scheduler: restoring a RUNNABLE job
  // requests a scheduling pass, which must not run while STARTING/RUNNING jobs hold no capacity yet.
  const found = (await runtime.list()).filter((c) => known.has(c.labels[LABELS.jobId] ?? ''));
  // Submission order, so RUNNABLE jobs queue FIFO again.
  for (const r of [...records].sort((a, b) => a.meta.seq - b.meta.seq)) s.restore(r);
  const byAttempt = new Map<string, FoundContainer>();
  for (const c of found) byAttempt.set(`${c.labels[LABELS.jobId]}@${c.labels[LABELS.attempt]}`, c);
  const claimed = new Set<FoundContainer>();
  const active = records.filter((r) => r.detail.status === 'STARTING' || r.detail.status === 'RUNNING');
  for (const rec of active) {
    if (rec.meta.kind === 'mnp-node') continue;
    if (rec.meta.kind === 'mnp-parent') {
      for (let i = 0; i < (rec.meta.size ?? 0); i++) {
        const node = s.get(`${rec.detail.jobId}#${i}`);
        if (node && (node.detail.status === 'STARTING' || node.detail.status === 'RUNNING')) s.move(node, 'RUNNABLE', MULTI_NODE_INTERRUPTED);
      }
      s.abandon(rec, MULTI_NODE_INTERRUPTED);
      report.vanished.push(rec.detail.jobId);
      continue;
    }
    const attempt = (rec.detail.attempts?.length ?? 0) + 1;
    const c = byAttempt.get(`${rec.detail.jobId}@${attempt}`);
    if (!c) {
      s.abandon(rec, CONTAINER_VANISHED);
      report.vanished.push(rec.detail.jobId);
      continue;
    }
    claimed.add(c);
    (c.running ? report.reattached : report.finished).push(rec.detail.jobId);
    s.resume(rec, c.attach());
  }
  for (const c of found) {
    if (claimed.has(c)) continue;
    const running = c.attach();
    await running.kill('SIGKILL').catch(() => undefined);
    await running.remove().catch(() => undefined);
    report.reaped.push(c.id);
  }
  return report;
}
