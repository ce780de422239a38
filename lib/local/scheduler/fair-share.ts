/** Fair-share ordering of a queue's RUNNABLE jobs (queues with a scheduling policy). */
import type { JobRecord } from './job-record';

/**
 * Fair-share order: the share with the least vCPUs in use per unit of weight goes first
 * (a lower `weightFactor` gets more), then higher `schedulingPriority`, then submission order.
 */
export function fairShareOrder(
  jobs: readonly JobRecord[],
  weightOf: (share: string) => number,
  running: ReadonlyMap<string, number>,
): JobRecord[] {
  const usage = new Map(running);
  const byShare = new Map<string, JobRecord[]>();
  for (const j of jobs) {
    const s = j.detail.shareIdentifier ?? '';
    (byShare.get(s) ?? byShare.set(s, []).get(s)!).push(j);
  }
  for (const list of byShare.values())
    list.sort(
      (a, b) => (b.detail.schedulingPriority ?? 0) - (a.detail.schedulingPriority ?? 0) || a.meta.seq - b.meta.seq,
    );
  const out: JobRecord[] = [];
  while (out.length < jobs.length) {
    let best: string | undefined;
    let bestScore = Infinity;
    for (const [share, list] of byShare) {
      if (list.length === 0) continue;
      const score = (usage.get(share) ?? 0) * weightOf(share);
      if (
        score < bestScore ||
        (score === bestScore && best !== undefined && list[0].meta.seq < byShare.get(best)![0].meta.seq)
      ) {
        best = share;
        bestScore = score;
      }
    }
    const job = byShare.get(best!)!.shift()!;
    usage.set(best!, (usage.get(best!) ?? 0) + job.meta.demand.vcpus);
    out.push(job);
  }
  return out;
}

/** vCPUs held by STARTING/RUNNING jobs of a queue, per share identifier. */
export function vcpusInUseByShare(jobs: Iterable<JobRecord>, queueName: string): Map<string, number> {
  const usage = new Map<string, number>();
  for (const r of jobs) {
    if (r.meta.queueName !== queueName || (r.detail.status !== 'RUNNING' && r.detail.status !== 'STARTING')) continue;
    const share = r.detail.shareIdentifier ?? '';
    usage.set(share, (usage.get(share) ?? 0) + r.meta.demand.vcpus);
  }
  return usage;
}
