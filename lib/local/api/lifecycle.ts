/**
 * The life cycle AWS gives queues and compute environments: a create or update answers at once
 * with status CREATING or UPDATING, which becomes VALID shortly after; a delete answers with
 * DELETING and the resource disappears shortly after. Statuses settle lazily, when read.
 */
import type { ResourceStatus } from '../../core/model/common';

/** A resource with a status that settles over time. */
export interface Settling<T extends { status?: ResourceStatus; statusReason?: string }> {
  /** The resource as Describe* returns it. */
  readonly detail: T;
  /** A status change that takes effect at `at` (epoch ms). */
  pending?: { readonly status: ResourceStatus; readonly statusReason: string; readonly at: number };
  /** When a DELETING resource disappears (epoch ms). */
  removeAt?: number;
}

/** Starts a transition: `now` status, then `then` after `delayMs`. */
export function begin<T extends { status?: ResourceStatus; statusReason?: string }>(
  entry: Settling<T>,
  now: ResourceStatus,
  then: { status: ResourceStatus; statusReason: string } | 'removed',
  clock: number,
  delayMs: number,
): void {
  entry.detail.status = now;
  entry.detail.statusReason = now === 'DELETING' ? 'Deleting' : now === 'UPDATING' ? 'Updating' : 'Creating';
  if (then === 'removed') {
    entry.pending = undefined;
    entry.removeAt = clock + delayMs;
  } else {
    entry.pending = { ...then, at: clock + delayMs };
  }
}

/** Applies a due transition; returns false when the resource is gone. */
export function settle<T extends { status?: ResourceStatus; statusReason?: string }>(
  entry: Settling<T>,
  clock: number,
): boolean {
  if (entry.removeAt !== undefined && clock >= entry.removeAt) return false;
  if (entry.pending && clock >= entry.pending.at) {
    entry.detail.status = entry.pending.status;
    entry.detail.statusReason = entry.pending.statusReason;
    entry.pending = undefined;
  }
  return true;
}
