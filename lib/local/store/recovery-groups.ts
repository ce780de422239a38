/**
 * Restart recovery of a multi-container job (ECS task, EKS pod) that was STARTING or RUNNING: the
 * attempt is resumed with the containers found on the engine (see `GroupRun.resume`), or — when
 * nothing had started — run again without using an attempt. An attempt that cannot be resumed
 * faithfully fails with {@link GROUP_STOPPED} and the reason: the container holding the group's
 * network namespace is gone or stopped (the engine restarted), a container that had started is gone,
 * or the store holds no progress of the attempt (a store of an earlier batchkit). Its containers are
 * then reaped and its scratch volumes removed by the caller; the retry strategy decides what follows.
 */
import { LABELS, type FoundContainer } from '../runtime/container-runtime';
import type { GroupSpec } from '../scheduler/group-layout';
import { NETNS_MEMBER, scratchVolumeName } from '../scheduler/group-run';
import type { GroupRunState, JobRecord } from '../scheduler/job-record';
import type { Scheduler } from '../scheduler/scheduler';
import { abandon } from '../scheduler/vanished';
import { removeSecretVolumes, secretVolumeDir } from '../secret-volumes';

/** Start of the reason of a multi-container job's attempt that could not be resumed after a restart. */
export const GROUP_STOPPED =
  'CannotInspectContainerError: batchkit stopped while the containers of this attempt ran and the attempt ' +
  'cannot be resumed';

/** What became of a group at restart. */
export type GroupRecovery = 'reattached' | 'finished' | 'vanished' | 'requeued';

/** Why the attempt cannot be resumed, or undefined when it can. */
function unresumable(
  group: GroupSpec,
  run: GroupRunState | undefined,
  byName: ReadonlyMap<string, FoundContainer>,
): string | undefined {
  if (!run) return 'the store holds no progress of its containers (written by an earlier batchkit)';
  if (group.network === 'none') {
    const holder = byName.get(NETNS_MEMBER);
    if (!holder || !holder.running)
      return (
        `the container holding the group's network namespace is ${holder ? 'stopped' : 'gone'} ` +
        '(the container engine restarted?), so its containers cannot share one network again'
      );
  }
  for (const m of group.members) {
    const st = run.members[m.name];
    if (st?.started && !st.ended && !byName.has(m.name))
      return `container ${m.name} had started and is gone from the container engine`;
  }
  return undefined;
}

/**
 * Resumes, requeues or fails one group whose record is STARTING or RUNNING. `found` are the engine's
 * containers of its current attempt; those the resumed run takes are added to `claimed` (the caller
 * reaps the rest); scratch volumes to remove are added to `scratch` when the attempt does not go on.
 */
export function recoverGroup(
  s: Scheduler,
  rec: JobRecord,
  group: GroupSpec,
  found: readonly FoundContainer[],
  claimed: Set<FoundContainer>,
  scratch: string[],
): GroupRecovery {
  const attempt = (rec.detail.attempts?.length ?? 0) + 1;
  const run = rec.meta.groupRun;
  const byName = new Map<string, FoundContainer>();
  // A container only created (never started) is reaped; its container starts again.
  for (const c of found) if (c.started !== false) byName.set(c.labels[LABELS.member] ?? '', c);
  const mounts = group.members.flatMap((m) => m.mounts);
  const volumes = new Set(mounts.flatMap((x) => (x.volume && !x.secret ? [x.volume] : [])));
  const secrets = new Set(mounts.flatMap((x) => (x.secret ? [x.volume ?? ''] : [])));
  // The attempt does not go on: its scratch volumes (removed by the caller) and secret directories go.
  const dropVolumes = (): void => {
    for (const v of volumes) scratch.push(scratchVolumeName(rec.detail.jobId, attempt, v));
    removeSecretVolumes([...secrets].map((v) => secretVolumeDir(rec.detail.jobId, attempt, v)));
  };
  const ran = group.members.some((m) => byName.has(m.name) || run?.members[m.name]?.started === true);
  if (rec.detail.status === 'STARTING' && !ran) {
    dropVolumes();
    s.move(rec, 'RUNNABLE', undefined);
    return 'requeued';
  }
  const why = unresumable(group, run, byName);
  if (why !== undefined) {
    dropVolumes();
    abandon(s, rec, `${GROUP_STOPPED}: ${why}`);
    return 'vanished';
  }
  const taken = new Map<string, FoundContainer>();
  for (const name of [NETNS_MEMBER, ...group.members.map((m) => m.name)]) {
    const c = byName.get(name);
    // A container whose end is stored is not followed again (the reaper removes it).
    if (!c || run?.members[name]?.ended) continue;
    taken.set(name, c);
    claimed.add(c);
  }
  s.resumeGroup(rec, group, taken);
  // Finished: every container's end is known (stored, or its container exited meanwhile).
  const done = group.members.every((m) => run?.members[m.name]?.ended || byName.get(m.name)?.running === false);
  return done ? 'finished' : 'reattached';
}
