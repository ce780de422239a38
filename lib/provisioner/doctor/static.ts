/**
 * `batchkit doctor` without `--live`: what in the app itself would keep jobs in RUNNABLE, from the
 * loaded model alone: the core cross-resource rules (a job definition no queue can ever place,
 * `BATCH-X-003`, built on `placementProblems`; mixed platforms; ...) plus the checks below.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/job_stuck_in_runnable.html
 */
import type { BatchModel } from '../../core/model/batch-model';
import type { ComputeEnvironment } from '../../core/model/compute-environment';
import { isUnresolved } from '../../core/model/unresolved';
import { CROSS_RESOURCE_RULES } from '../../core/rules/cross-resource';
import { finding, type Finding, type ResourceRef } from '../../core/rules/finding';
import { computeEnvironmentOf } from '../../core/rules/placement';
import { runRules } from '../../core/rules/rule';
import { DOCTOR, ECS_INSTANCE_POLICY } from './codes';

function ceRef(ce: ComputeEnvironment & { source?: ResourceRef['source'] }): ResourceRef {
  return { kind: 'ComputeEnvironment', name: ce.computeEnvironmentName, source: ce.source };
}

/** Spot with BEST_FIT (the default strategy) needs `spotIamFleetRole`. */
export function needsSpotFleetRole(ce: ComputeEnvironment): boolean {
  const cr = ce.computeResources;
  return cr?.type === 'SPOT' && (cr.allocationStrategy === undefined || cr.allocationStrategy === 'BEST_FIT');
}

/** Findings about a compute environment's own settings, shared by the static and live doctor. */
export function environmentFindings(ce: ComputeEnvironment & { source?: ResourceRef['source'] }): Finding[] {
  const out: Finding[] = [];
  const resource = ceRef(ce);
  if (ce.state === 'DISABLED') {
    out.push(
      finding({
        code: DOCTOR.environmentDisabled,
        severity: 'warning',
        resource,
        field: 'state',
        value: 'DISABLED',
        problem: 'the compute environment is DISABLED, so Batch places no job on it.',
        fix:
          'Enable it (UpdateComputeEnvironment state=ENABLED, or State: ENABLED ' +
          'in the app) if its queues should run jobs.',
      }),
    );
  }
  const max = ce.computeResources?.maxvCpus;
  if (max !== undefined && !isUnresolved(max) && max === 0) {
    out.push(
      finding({
        code: DOCTOR.zeroMaxVcpus,
        severity: 'error',
        resource,
        field: 'computeResources.maxvCpus',
        value: 0,
        problem: 'maxvCpus is 0, so the environment can never launch an instance or task.',
        allowed: 'at least the vCPUs of the largest job',
        fix: 'Raise computeResources.maxvCpus.',
      }),
    );
  }
  if (needsSpotFleetRole(ce) && !ce.computeResources?.spotIamFleetRole) {
    out.push(
      finding({
        code: DOCTOR.spotFleetRole,
        severity: 'error',
        resource,
        field: 'computeResources.spotIamFleetRole',
        problem:
          'a SPOT environment with allocation strategy BEST_FIT needs a Spot ' +
          'Fleet role, and none is set; Batch cannot request Spot capacity.',
        fix:
          'Set spotIamFleetRole to a role trusted by spotfleet.amazonaws.com with ' +
          'AmazonEC2SpotFleetTaggingRole, or use SPOT_CAPACITY_OPTIMIZED / SPOT_PRICE_CAPACITY_OPTIMIZED.',
      }),
    );
  }
  return out;
}

function roleNameOfProfileRef(ref: string): string {
  return ref.includes('/') ? ref.slice(ref.lastIndexOf('/') + 1) : ref;
}

/** Static findings over the whole model. */
export function staticDoctor(model: BatchModel): Finding[] {
  const out: Finding[] = [...runRules(CROSS_RESOURCE_RULES, model).filter((f) => f.severity !== 'info')];
  for (const ce of model.computeEnvironments) {
    out.push(...environmentFindings(ce));
    const profileRef = ce.computeResources?.instanceRole;
    if (profileRef && !isUnresolved(profileRef)) {
      const name = roleNameOfProfileRef(profileRef);
      const profile = model.instanceProfiles.find((p) => p.instanceProfileName === name || p.arn === profileRef);
      for (const roleName of profile?.roles ?? []) {
        const role = model.roles.find((r) => r.roleName === roleName || r.arn === roleName);
        if (
          role &&
          !isUnresolved(role.managedPolicyArns) &&
          !role.managedPolicyArns.some((p) => p.endsWith(`/${ECS_INSTANCE_POLICY}`))
        ) {
          out.push(
            finding({
              code: DOCTOR.instanceRolePolicy,
              severity: 'error',
              resource: ceRef(ce),
              field: 'computeResources.instanceRole',
              value: role.roleName,
              problem:
                `the instance role "${role.roleName}" (in profile "${name}") does not ` +
                `have ${ECS_INSTANCE_POLICY}, so instances cannot register with the ECS ` +
                `cluster and jobs stay RUNNABLE.`,
              fix: `Attach arn:aws:iam::aws:policy/service-role/${ECS_INSTANCE_POLICY} to the role.`,
            }),
          );
        }
      }
    }
  }
  for (const q of model.jobQueues) {
    const resource: ResourceRef = { kind: 'JobQueue', name: q.jobQueueName, source: q.source };
    if (q.state === 'DISABLED') {
      out.push(
        finding({
          code: DOCTOR.queueDisabled,
          severity: 'warning',
          resource,
          field: 'state',
          value: 'DISABLED',
          problem: 'the job queue is DISABLED: it accepts no new jobs and the jobs in it are not scheduled.',
          fix: 'Enable the queue (State: ENABLED).',
        }),
      );
    }
    const envs = q.computeEnvironmentOrder.map((o) => computeEnvironmentOf(model, o.computeEnvironment));
    if (envs.length > 0 && envs.every((e) => e !== undefined && e.state === 'DISABLED')) {
      out.push(
        finding({
          code: DOCTOR.queueWithoutCapacity,
          severity: 'error',
          resource,
          field: 'computeEnvironmentOrder',
          problem: 'every compute environment of the queue is DISABLED, so its jobs stay RUNNABLE.',
          fix: 'Enable at least one of its compute environments.',
        }),
      );
    }
  }
  return out;
}
