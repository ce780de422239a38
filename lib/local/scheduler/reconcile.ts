/**
 * What a start does with the records of a stopped `batchkit` before anything runs: array summaries
 * are derived data, recounted from the children's records (a store written by an older batchkit, or
 * one whose counts lag behind), and PENDING jobs whose dependencies or children ended before the stop
 * move on (a stop between a job's final write and its dependants' would otherwise strand them).
 */
import { recountChildren } from './arrays';
import type { Scheduler } from './scheduler';

/** Recounts every array parent's `statusSummary` from its children's records. Writes nothing. */
export function recountArrays(s: Scheduler): void {
  for (const rec of s.all()) {
    if (rec.meta.kind === 'array-parent' && rec.detail.status !== 'SUBMITTED') {
      recountChildren(rec.detail, (i) => s.get(`${rec.detail.jobId}:${i}`)?.detail.status);
    }
  }
}

/** Recounts arrays, then moves on every PENDING job that can move (an active, not passive, scheduler). */
export function reconcile(s: Scheduler): void {
  recountArrays(s);
  for (const rec of [...s.all()]) {
    // A child stored before its parent's PENDING was: the parent is evaluated again and spawns it anew.
    const respawned = rec.meta.kind === 'array-child' && s.get(rec.meta.parentId ?? '')?.detail.status === 'SUBMITTED';
    if (!respawned) s.recheck(rec);
  }
}
