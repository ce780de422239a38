/**
 * `batchkit doctor --live`: why jobs sit in RUNNABLE, read from the account through the SDK —
 * environments INVALID or DISABLED, maxvCpus reached, RUNNABLE jobs no instance type can hold,
 * private subnets without a NAT route or VPC endpoints, instance profiles without the ECS policy,
 * security groups without egress, missing Spot Fleet roles.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/job_stuck_in_runnable.html
 */
import type * as batch from '@aws-sdk/client-batch';
import { emptyBatchModel, type BatchModel } from '../../core/model/batch-model';
import { finding, type Finding, type ResourceRef } from '../../core/rules/finding';
import { explainPlacement, placementProblems } from '../../core/rules/placement';
import { jobDefinitionFromSdk } from '../clients/batch-job-map';
import { computeEnvironmentFromSdk, jobQueueFromSdk } from '../clients/batch-map';
import type { ProvisionerClients } from '../clients/interfaces';
import { errorName } from '../clients/retry';
import { allComputeEnvironments, allJobQueues } from '../plan/observe';
import { FARGATE_ENDPOINT_SERVICES } from '../../core/rules/fargate-network';
import { DOCTOR, ECS_INSTANCE_POLICY } from './codes';
import { environmentFindings } from './static';

/** Options of {@link liveDoctor}. */
export interface LiveDoctorOptions {
  /**
   * Only these compute environments and the queues that use them (names).
   * @default - every environment and queue of the account and region
   */
  readonly computeEnvironments?: readonly string[];
  /**
   * Only these queues (names).
   * @default - every queue
   */
  readonly jobQueues?: readonly string[];
  /**
   * Skip the IAM and EC2 checks (for a Batch-only endpoint such as `batchkit local serve`).
   * @default false
   */
  readonly batchOnly?: boolean;
}

/** VPC endpoint services a private subnet needs when it has no NAT route. */
export const REQUIRED_ENDPOINTS: readonly string[] = [
  'ecs',
  'ecs-agent',
  'ecs-telemetry',
  'ecr.api',
  'ecr.dkr',
  'logs',
  's3',
];

const ceRef = (name: string): ResourceRef => ({ kind: 'ComputeEnvironment', name });
const nameOf = (arnOrName: string) => arnOrName.slice(arnOrName.lastIndexOf('/') + 1);
const missing = (e: unknown) => errorName(e) === 'NoSuchEntity' || errorName(e) === 'NoSuchEntityException';

/** Reads the account and returns the findings. */
export async function liveDoctor(clients: ProvisionerClients, options: LiveDoctorOptions = {}): Promise<Finding[]> {
  const out: Finding[] = [];
  let envs = await allComputeEnvironments(clients);
  let queues = await allJobQueues(clients);
  const wantedQueues = options.jobQueues;
  if (wantedQueues) queues = queues.filter((q) => wantedQueues.includes(q.jobQueueName ?? ''));
  if (options.computeEnvironments) {
    const wanted = options.computeEnvironments;
    envs = envs.filter(
      (e) => wanted.includes(e.computeEnvironmentName ?? '') || wanted.includes(e.tags?.['batchkit:name'] ?? ''),
    );
  }
  for (const e of envs) out.push(...(await environmentLive(clients, e, options.batchOnly === true)));
  const model: BatchModel = {
    ...emptyBatchModel(),
    computeEnvironments: envs.map(computeEnvironmentFromSdk),
    jobQueues: queues.map(jobQueueFromSdk),
  };
  for (const q of queues) out.push(...(await queueLive(clients, q, envs, model)));
  return out;
}

async function environmentLive(
  clients: ProvisionerClients,
  e: batch.ComputeEnvironmentDetail,
  batchOnly: boolean,
): Promise<Finding[]> {
  const name = e.computeEnvironmentName ?? '';
  const resource = ceRef(name);
  const out: Finding[] = environmentFindings(computeEnvironmentFromSdk(e));
  if (e.status === 'INVALID') {
    out.push(
      finding({
        code: DOCTOR.environmentInvalid,
        severity: 'error',
        resource,
        field: 'status',
        value: 'INVALID',
        problem: `the compute environment is INVALID: ${e.statusReason ?? 'AWS gave no reason'}.`,
        fix: 'Correct what the status reason names, then update the environment (batchkit apply).',
      }),
    );
  }
  const cr = e.computeResources;
  if (!cr || batchOnly) return out;
  if (cr.type === 'SPOT' && cr.spotIamFleetRole) {
    try {
      await clients.iam.getRole({ RoleName: nameOf(cr.spotIamFleetRole) });
    } catch (err) {
      if (!missing(err)) throw err;
      out.push(
        finding({
          code: DOCTOR.spotFleetRole,
          severity: 'error',
          resource,
          field: 'computeResources.spotIamFleetRole',
          value: cr.spotIamFleetRole,
          problem: 'the Spot Fleet role does not exist, so Batch cannot request Spot capacity.',
          fix:
            'Create the role (trusted by spotfleet.amazonaws.com, with ' +
            'AmazonEC2SpotFleetTaggingRole) or point spotIamFleetRole at one that exists.',
        }),
      );
    }
  }
  if (cr.instanceRole && cr.type !== 'FARGATE' && cr.type !== 'FARGATE_SPOT')
    out.push(...(await instanceRoleLive(clients, resource, cr.instanceRole)));
  const fargate = cr.type === 'FARGATE' || cr.type === 'FARGATE_SPOT';
  out.push(...(await networkLive(clients, resource, cr.subnets ?? [], cr.securityGroupIds ?? [], fargate)));
  return out;
}

async function instanceRoleLive(
  clients: ProvisionerClients,
  resource: ResourceRef,
  profileRef: string,
): Promise<Finding[]> {
  const field = 'computeResources.instanceRole';
  let profile;
  try {
    profile = (await clients.iam.getInstanceProfile({ InstanceProfileName: nameOf(profileRef) })).InstanceProfile;
  } catch (e) {
    if (!missing(e)) throw e;
  }
  if (!profile || (profile.Roles ?? []).length === 0) {
    return [
      finding({
        code: DOCTOR.instanceRolePolicy,
        severity: 'error',
        resource,
        field,
        value: profileRef,
        problem: profile
          ? 'the instance profile has no role, so instances cannot register with the ECS cluster.'
          : 'the instance profile does not exist, so instances cannot start or register with the ECS cluster.',
        fix: `Create the instance profile with a role that has ${ECS_INSTANCE_POLICY} (trusted by ec2.amazonaws.com).`,
      }),
    ];
  }
  const out: Finding[] = [];
  for (const role of profile.Roles ?? []) {
    const attached = (await clients.iam.listAttachedRolePolicies({ RoleName: role.RoleName })).AttachedPolicies ?? [];
    if (
      !attached.some(
        (p) => p.PolicyName === ECS_INSTANCE_POLICY || (p.PolicyArn ?? '').endsWith(`/${ECS_INSTANCE_POLICY}`),
      )
    ) {
      out.push(
        finding({
          code: DOCTOR.instanceRolePolicy,
          severity: 'error',
          resource,
          field,
          value: role.RoleName,
          problem:
            `the instance role "${role.RoleName}" does not have ` +
            `${ECS_INSTANCE_POLICY}, so instances cannot register with the ECS cluster and jobs stay RUNNABLE.`,
          fix:
            `aws iam attach-role-policy --role-name ${role.RoleName} --policy-arn ` +
            `arn:aws:iam::aws:policy/service-role/${ECS_INSTANCE_POLICY}`,
        }),
      );
    }
  }
  return out;
}

async function networkLive(
  clients: ProvisionerClients,
  resource: ResourceRef,
  subnets: readonly string[],
  groups: readonly string[],
  fargate: boolean,
): Promise<Finding[]> {
  const out: Finding[] = [];
  if (groups.length > 0) {
    const found = (await clients.ec2.describeSecurityGroups({ GroupIds: [...groups] })).SecurityGroups ?? [];
    for (const id of groups) {
      const g = found.find((x) => x.GroupId === id);
      if (!g) {
        out.push(
          finding({
            code: DOCTOR.missingNetwork,
            severity: 'error',
            resource,
            field: 'computeResources.securityGroupIds',
            value: id,
            problem: 'the security group does not exist.',
            fix: "Point securityGroupIds at existing groups of the subnets' VPC.",
          }),
        );
      } else if ((g.IpPermissionsEgress ?? []).length === 0) {
        out.push(
          finding({
            code: DOCTOR.noEgress,
            severity: 'error',
            resource,
            field: 'computeResources.securityGroupIds',
            value: id,
            problem:
              'the security group allows no outbound traffic, so instances cannot ' +
              'reach ECS, ECR or CloudWatch Logs and jobs stay RUNNABLE.',
            fix: 'Add an egress rule (at least HTTPS 443 to 0.0.0.0/0, or to the VPC endpoints).',
          }),
        );
      }
    }
  }
  if (subnets.length === 0) return out;
  const found = (await clients.ec2.describeSubnets({ SubnetIds: [...subnets] })).Subnets ?? [];
  const vpcs = [...new Set(found.map((s) => s.VpcId ?? ''))].filter(Boolean);
  const tables =
    vpcs.length > 0
      ? ((await clients.ec2.describeRouteTables({ Filters: [{ Name: 'vpc-id', Values: vpcs }] })).RouteTables ?? [])
      : [];
  let endpoints: string[] | undefined;
  for (const id of subnets) {
    const s = found.find((x) => x.SubnetId === id);
    if (!s) {
      out.push(
        finding({
          code: DOCTOR.missingNetwork,
          severity: 'error',
          resource,
          field: 'computeResources.subnets',
          value: id,
          problem: 'the subnet does not exist.',
          fix: 'Point subnets at existing subnets.',
        }),
      );
      continue;
    }
    const table =
      tables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === id)) ??
      tables.find((t) => t.VpcId === s.VpcId && (t.Associations ?? []).some((a) => a.Main));
    const internet = (table?.Routes ?? []).some(
      (r) =>
        r.DestinationCidrBlock === '0.0.0.0/0' &&
        r.State !== 'blackhole' &&
        (r.NatGatewayId ||
          r.GatewayId?.startsWith('igw-') ||
          r.TransitGatewayId ||
          r.NetworkInterfaceId ||
          r.InstanceId),
    );
    if (internet) continue;
    if (!endpoints) {
      const eps =
        (await clients.ec2.describeVpcEndpoints({ Filters: [{ Name: 'vpc-id', Values: [s.VpcId ?? ''] }] }))
          .VpcEndpoints ?? [];
      endpoints = eps
        .filter((x) => x.State === undefined || String(x.State).toLowerCase() === 'available')
        .map((x) => (x.ServiceName ?? '').split('.').slice(3).join('.'));
    }
    // Fargate tasks need no ECS agent endpoints, only what an image pull and the logs use.
    const present = endpoints;
    const lacking = (fargate ? FARGATE_ENDPOINT_SERVICES : REQUIRED_ENDPOINTS).filter((svc) => !present.includes(svc));
    if (lacking.length > 0) {
      out.push(
        finding({
          code: DOCTOR.privateSubnet,
          severity: 'error',
          resource,
          field: 'computeResources.subnets',
          value: id,
          problem:
            `the subnet's route table (${table?.RouteTableId ?? 'none'}) has no ` +
            `0.0.0.0/0 route to a NAT or internet gateway, and the VPC lacks ` +
            `endpoints for ${lacking.join(', ')}; ` +
            (fargate
              ? 'Fargate jobs fail with CannotPullContainerError: ... i/o timeout.'
              : 'instances cannot reach ECS and ECR, so jobs stay RUNNABLE.'),
          fix:
            'Add a route 0.0.0.0/0 to a NAT gateway for the subnet, or create interface endpoints for ' +
            (fargate ? 'ecr.api' : 'ecs, ecs-agent, ecs-telemetry, ecr.api') +
            ', ecr.dkr, logs and a gateway endpoint for s3.',
        }),
      );
    }
  }
  return out;
}

async function queueLive(
  clients: ProvisionerClients,
  q: batch.JobQueueDetail,
  envs: batch.ComputeEnvironmentDetail[],
  model: BatchModel,
): Promise<Finding[]> {
  const out: Finding[] = [];
  const resource: ResourceRef = { kind: 'JobQueue', name: q.jobQueueName ?? '' };
  if (q.status === 'INVALID') {
    out.push(
      finding({
        code: DOCTOR.queueInvalid,
        severity: 'error',
        resource,
        field: 'status',
        value: 'INVALID',
        problem: `the job queue is INVALID: ${q.statusReason ?? 'AWS gave no reason'}.`,
        fix: 'Correct what the reason names (usually its compute environments), then update the queue.',
      }),
    );
  }
  if (q.state === 'DISABLED') {
    out.push(
      finding({
        code: DOCTOR.queueDisabled,
        severity: 'warning',
        resource,
        field: 'state',
        value: 'DISABLED',
        problem: 'the job queue is DISABLED: the jobs in it are not scheduled.',
        fix: 'Enable the queue.',
      }),
    );
  }
  const runnable =
    (await clients.batch.listJobs({ jobQueue: q.jobQueueName, jobStatus: 'RUNNABLE' })).jobSummaryList ?? [];
  if (runnable.length === 0) return out;
  const mine = (q.computeEnvironmentOrder ?? [])
    .map((o) =>
      envs.find(
        (e) => e.computeEnvironmentArn === o.computeEnvironment || e.computeEnvironmentName === o.computeEnvironment,
      ),
    )
    .filter((e) => e !== undefined);
  const full = mine.filter(
    (e) => e.computeResources && (e.computeResources.desiredvCpus ?? 0) >= (e.computeResources.maxvCpus ?? Infinity),
  );
  if (mine.length > 0 && full.length === mine.length) {
    out.push(
      finding({
        code: DOCTOR.maxVcpusReached,
        severity: 'warning',
        resource,
        field: 'computeEnvironmentOrder',
        value: runnable.length,
        problem:
          `${runnable.length} job(s) are RUNNABLE while every compute environment of the queue is at maxvCpus (` +
          `${full
            .map(
              (e) => `${e.computeEnvironmentName}: ${e.computeResources?.desiredvCpus}/${e.computeResources?.maxvCpus}`,
            )
            .join(', ')}); ` +
          `they wait for running jobs to finish.`,
        fix: 'Raise computeResources.maxvCpus, or add another compute environment to the queue.',
      }),
    );
  }
  const queue = jobQueueFromSdk(q);
  const defs = [...new Set(runnable.map((j) => j.jobDefinition).filter((d): d is string => d !== undefined))];
  if (defs.length === 0) return out;
  const described = (await clients.batch.describeJobDefinitions({ jobDefinitions: defs })).jobDefinitions ?? [];
  for (const d of described) {
    const problems = placementProblems(jobDefinitionFromSdk(d), queue, model);
    if (problems.length === 0) continue;
    const jobs = runnable.filter((j) => j.jobDefinition === d.jobDefinitionArn).map((j) => j.jobId);
    out.push(
      finding({
        code: DOCTOR.runnableNeverPlaceable,
        severity: 'error',
        resource,
        field: 'jobDefinition',
        value: d.jobDefinitionArn,
        problem: `RUNNABLE job(s) ${jobs.join(', ')} can never start on this queue:`,
        details: explainPlacement(q.jobQueueName ?? '', problems).children,
        fix:
          'Cancel them and resubmit with smaller vCPUs/memory/GPUs, or add ' +
          'instance types (or an environment) large enough to the queue.',
      }),
    );
  }
  return out;
}
