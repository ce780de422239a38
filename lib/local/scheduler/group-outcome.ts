/**
 * The end of one attempt of a multi-container job: how each container ended becomes the attempt's
 * result (the essential rule for ECS tasks, every container for EKS pods), recorded on the job's
 * `attempts` (and `eksAttempts`), then the verdict moves the job on.
 */
import type { JobDetail } from '../../core/model/job';
import { REASONS, type AttemptIds, type AttemptResult } from '../attempt-runner';
import { withTerminate } from './control';
import type { GroupMember, GroupSpec } from './group-layout';
import type { GroupMemberState, JobRecord } from './job-record';
import { attemptVerdict } from './run-attempt';
import type { Scheduler } from './scheduler';

/** Reason of containers stopped because an essential container of the task exited. */
export const TASK_STOPPING = 'Essential container in task exited';
/** Reason of a container that never started because the task stopped first or a dependency failed. */
export const NOT_STARTED = 'The container did not start: the task stopped or a dependsOn condition can no longer hold';

/** How one container of the group ended (undefined result: it never started). */
export interface MemberEnd {
  readonly member: GroupMember;
  readonly result?: AttemptResult;
  /** Stopped by the executor (task stopping, timeout, TerminateJob). */
  readonly stopped: boolean;
}

/** What is stored of a container's end, so a restart knows it. */
export function memberState(end: MemberEnd): GroupMemberState {
  const r = end.result;
  if (!r) return { started: false, ended: true, stopped: end.stopped };
  return {
    started: r.started,
    ended: true,
    ...(r.exitCode !== undefined ? { exitCode: r.exitCode } : {}),
    ...(r.containerReason !== undefined ? { containerReason: r.containerReason } : {}),
    statusReason: r.statusReason,
    stopped: end.stopped,
  };
}

/** A container's end as stored before a restart. */
export function recordedEnd(member: GroupMember, st: GroupMemberState): MemberEnd {
  const stopped = st.stopped ?? false;
  if (!st.started && st.statusReason === undefined) return { member, stopped };
  const result: AttemptResult = {
    started: st.started,
    ...(st.exitCode !== undefined ? { exitCode: st.exitCode } : {}),
    ...(st.containerReason !== undefined ? { containerReason: st.containerReason } : {}),
    statusReason: st.statusReason ?? REASONS.exited,
    timedOut: false,
    terminated: stopped,
    logs: '',
  };
  return { member, result, stopped };
}

/** Status reason of a pod whose container failed. */
function podFailure(bad: MemberEnd): string {
  const r = bad.result;
  if (!r?.started) return `Pod failed: container ${bad.member.name} did not start`;
  return `Pod failed: container ${bad.member.name} exited with code ${r.exitCode}`;
}

/** How the attempt was stopped, if it was. */
export interface GroupStop {
  readonly timedOut: boolean;
  readonly stopReason?: string;
}

/** The attempt's result from its containers' ends. */
function groupResult(
  group: GroupSpec,
  ends: readonly MemberEnd[],
  failure: string | undefined,
  stop: GroupStop,
): AttemptResult {
  const ran = ends.filter((e) => e.result?.started && e.member.role === 'container');
  const counted = ends.filter((e) => e.member.role === 'container' && (group.kind === 'eks' || e.member.essential));
  const bad = counted.find((e) => !e.stopped && (!e.result?.started || e.result.exitCode !== 0));
  const base = {
    timedOut: stop.timedOut,
    terminated: !stop.timedOut && stop.stopReason !== undefined && stop.stopReason !== TASK_STOPPING,
    logs: '',
  };
  if (failure !== undefined) {
    const init = ends.find((e) => e.member.role === 'init' && e.result?.started && e.result.exitCode !== 0);
    return {
      ...base,
      started: false,
      exitCode: init?.result?.exitCode,
      containerReason: failure,
      statusReason: failure,
    };
  }
  if (ran.length === 0) {
    const reason = bad?.result?.containerReason ?? bad?.result?.statusReason;
    return {
      ...base,
      started: false,
      containerReason: reason,
      statusReason: base.terminated ? (stop.stopReason ?? REASONS.failedToStart) : REASONS.failedToStart,
    };
  }
  if (base.timedOut || base.terminated)
    return { ...base, started: true, statusReason: stop.stopReason ?? REASONS.timeout };
  const exitCode = bad ? bad.result?.exitCode : 0;
  const statusReason = group.kind === 'ecs' || !bad ? REASONS.exited : podFailure(bad);
  const containerReason =
    bad && !bad.result?.started ? (bad.result?.containerReason ?? NOT_STARTED) : bad?.result?.containerReason;
  return { ...base, started: true, exitCode, containerReason, statusReason };
}

/** The log stream of a container: `<jobDefinitionName>/<container>/<taskId>`. */
export function memberStream(rec: JobRecord, m: GroupMember, ids: Pick<AttemptIds, 'taskId'>): string {
  return `${rec.meta.definitionName.slice(0, 200)}/${m.name}/${ids.taskId}`;
}

/** Records the attempt on the job from its containers' ends, then moves the job on (verdict). */
export function finishGroup(
  s: Scheduler,
  rec: JobRecord,
  group: GroupSpec,
  ends: readonly MemberEnd[],
  ids: AttemptIds,
  failure: string | undefined,
  stop: GroupStop,
): void {
  const d: JobDetail = rec.detail;
  const now = s.options.clock.now();
  const result = withTerminate(s.options.store, rec, groupResult(group, ends, failure, stop));
  const startedAt = result.started ? d.startedAt : undefined;
  const attemptContainers = ends.map((e) => ({
    name: e.member.name,
    ...(e.result?.exitCode !== undefined ? { exitCode: e.result.exitCode } : {}),
    ...(e.result?.containerReason !== undefined
      ? { reason: e.result.containerReason }
      : e.result
        ? {}
        : { reason: NOT_STARTED }),
  }));
  const entry = {
    ...(startedAt !== undefined ? { startedAt } : {}),
    stoppedAt: now,
    statusReason: result.statusReason,
  };
  if (group.kind === 'ecs') {
    const containers = ends.map((e, i) => ({
      ...attemptContainers[i],
      ...(e.result?.started === true ? { logStreamName: memberStream(rec, e.member, ids) } : {}),
      networkInterfaces: [],
    }));
    (d.attempts ??= []).push({
      ...entry,
      taskProperties: [{ containerInstanceArn: ids.containerInstanceArn, taskArn: ids.taskArn, containers }],
    });
  } else {
    const pick = (role: 'init' | 'container') => attemptContainers.filter((_, i) => ends[i].member.role === role);
    (d.attempts ??= []).push({ ...entry });
    const pod = d.eksProperties?.podProperties;
    (d.eksAttempts ??= []).push({
      ...entry,
      containers: pick('container'),
      initContainers: pick('init'),
      podName: pod?.podName,
      nodeName: pod?.nodeName,
    });
  }
  delete rec.meta.groupRun;
  const next = attemptVerdict(d, result);
  s.move(rec, next.status, next.reason);
}
