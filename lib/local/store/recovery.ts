/**
 * Restart recovery: jobs that were STARTING or RUNNING when a previous `batchkit` stopped are
 * re-attached to their containers (found by the `batchkit.job-id` and `batchkit.attempt` labels),
 * recorded as finished when their container already exited, or failed with a clear reason when it
 * vanished; a STARTING job whose container never started runs again (no attempt is used). A multi-node job is
 * re-attached node by node (see `MultiNodeRun.resume`); what counts for the report is its main node. A
 * multi-container job resumes its attempt (see recovery-groups.ts). Containers of this store's jobs that
 * belong to no active attempt are removed; containers of jobs this store does not know (another executor's)
 * are left alone.
 */
import { LABELS, type ContainerRuntime, type FoundContainer } from '../runtime/container-runtime';
import type { JobRecord } from '../scheduler/job-record';
import type { Scheduler } from '../scheduler/scheduler';
import { abandon } from '../scheduler/vanished';
import { reconcile } from '../scheduler/reconcile';
import { recoverGroup } from './recovery-groups';

export { GROUP_STOPPED } from './recovery-groups';

export { CONTAINER_VANISHED } from '../scheduler/vanished';

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
export async function recoverJobs(
  s: Scheduler,
  records: readonly JobRecord[],
  runtime: ContainerRuntime,
): Promise<RecoveryReport> {
  const report: RecoveryReport = { reattached: [], finished: [], vanished: [], reaped: [] };
  const known = new Set(records.map((r) => r.detail.jobId));
  // List the engine's containers before the records reach the scheduler: restoring a RUNNABLE job
  // requests a scheduling pass, which must not run while STARTING/RUNNING jobs hold no capacity yet.
  const found = (await runtime.list()).filter((c) => known.has(c.labels[LABELS.jobId] ?? ''));
  // Submission order, so RUNNABLE jobs queue FIFO again.
  for (const r of [...records].sort((a, b) => a.meta.seq - b.meta.seq)) s.restore(r);
  // Array summaries from the children's records; jobs whose dependencies ended before the stop move on.
  reconcile(s);
  const byAttempt = new Map<string, FoundContainer>();
  for (const c of found) byAttempt.set(`${c.labels[LABELS.jobId]}@${c.labels[LABELS.attempt]}`, c);
  const claimed = new Set<FoundContainer>();
  const scratch: string[] = [];
  const active = records.filter((r) => r.detail.status === 'STARTING' || r.detail.status === 'RUNNING');
  for (const rec of active) {
    if (rec.meta.kind === 'mnp-node') continue;
    if (rec.meta.kind === 'mnp-parent') {
      const main = resumeMultiNode(s, rec, byAttempt, claimed);
      (main === 'running' ? report.reattached : main === 'exited' ? report.finished : report.vanished).push(
        rec.detail.jobId,
      );
      continue;
    }
    const attempt = (rec.detail.attempts?.length ?? 0) + 1;
    if (rec.meta.group) {
      const mine = found.filter(
        (c) => c.labels[LABELS.jobId] === rec.detail.jobId && c.labels[LABELS.attempt] === String(attempt),
      );
      const how = recoverGroup(s, rec, rec.meta.group, mine, claimed, scratch);
      if (how !== 'requeued') report[how].push(rec.detail.jobId);
      continue;
    }
    const c = byAttempt.get(`${rec.detail.jobId}@${attempt}`);
    // Stopped before its container started (a container only created is reaped below): nothing ran, run it again.
    if (rec.detail.status === 'STARTING' && (!c || c.started === false)) {
      s.move(rec, 'RUNNABLE', undefined);
      continue;
    }
    if (!c) {
      abandon(s, rec);
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
  for (const name of scratch) await runtime.removeVolume?.(name).catch(() => undefined);
  return report;
}

/**
 * Finds the containers of a multi-node job's nodes for its current attempt and hands the job to the
 * scheduler; returns what became of its main node: running, exited (meanwhile or before), or gone.
 */
function resumeMultiNode(
  s: Scheduler,
  rec: JobRecord,
  byAttempt: ReadonlyMap<string, FoundContainer>,
  claimed: Set<FoundContainer>,
): 'running' | 'exited' | 'gone' {
  const containers = new Map<number, FoundContainer>();
  const mainIndex = rec.detail.nodeProperties?.mainNode ?? 0;
  let main: 'running' | 'exited' | 'gone' = 'gone';
  for (let i = 0; i < (rec.meta.size ?? 0); i++) {
    const node = s.get(`${rec.detail.jobId}#${i}`);
    if (!node) continue;
    if (node.meta.runEnded) {
      if (i === mainIndex) main = 'exited';
      continue;
    }
    const c = byAttempt.get(`${node.detail.jobId}@${(node.detail.attempts?.length ?? 0) + 1}`);
    if (!c || (node.detail.status !== 'STARTING' && node.detail.status !== 'RUNNING')) continue;
    claimed.add(c);
    containers.set(i, c);
    if (i === mainIndex) main = c.running ? 'running' : 'exited';
  }
  s.resumeMultiNode(rec, containers);
  return main;
}
