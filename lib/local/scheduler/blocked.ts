/**
 * Jobs that block their queue: RUNNABLE jobs that can never start, with the `MISCONFIGURATION:...`
 * reason AWS records on them, and the "Batch Job Queue Blocked" event AWS sends for them: once
 * when a job becomes blocked, again only when its reason changes. The last reported reason is kept
 * on the record, so a restart of the executor does not report the same job again.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/batch-job-queue-blocked-events.html
 */
import type { Topology } from './capacity';
import type { JobRecord } from './job-record';

/** Prefix of the reason of a RUNNABLE job that no environment of its queue can ever hold. */
export const MAX_RESOURCE = 'MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE';

/** Prefix every blocked reason shares. */
const MISCONFIGURATION = 'MISCONFIGURATION:';

/**
 * Why a RUNNABLE job can never start, as AWS words it (`MISCONFIGURATION:...`): what AWS itself
 * could never place (checked at submission), or what is larger than every environment as capped
 * by this host. Undefined when the job can start some day.
 */
export function blockedReason(topology: Topology, rec: JobRecord): string | undefined {
  if (rec.meta.blockedBy?.length) return rec.meta.blockedBy.join(' ');
  const queue = topology.queue(rec.meta.queueName);
  const never = queue ? topology.neverFits(queue, rec.meta.demand) : [];
  return never.length ? `${MAX_RESOURCE} - ${never.join(' ')}` : undefined;
}

/**
 * Sets the `statusReason` of a RUNNABLE job to its blocked reason (see {@link blockedReason}), or
 * removes a blocked reason that no longer holds (a queue or environment changed).
 */
export function applyBlockedReason(rec: JobRecord, reason: string | undefined): void {
  if (reason) rec.detail.statusReason = reason;
  else if (rec.detail.statusReason?.startsWith(MISCONFIGURATION)) delete rec.detail.statusReason;
}

/**
 * Reports a RUNNABLE job whose `statusReason` is a blocked reason, unless that same reason was
 * reported last; forgets the reported reason of a job that is no longer blocked, so blocking again
 * reports again. Returns true when the record changed (the caller saves it).
 */
export function reportBlocked(rec: JobRecord, report: (rec: JobRecord) => void): boolean {
  const reason =
    rec.detail.status === 'RUNNABLE' && rec.detail.statusReason?.startsWith(MISCONFIGURATION)
      ? rec.detail.statusReason
      : undefined;
  if (reason === rec.meta.blockedReported) return false;
  if (reason === undefined) {
    delete rec.meta.blockedReported;
    return true;
  }
  rec.meta.blockedReported = reason;
  report(rec);
  return true;
}
