/**
 * AWS Batch SDK shapes ⇄ the core model, for compute environments, job queues and scheduling
 * policies: the one place the provisioner converts them. Every field is mapped by name, so a field
 * the SDK renames, retypes or drops fails to compile here; enums go through {@link oneOf} /
 * {@link required}. What the SDK has and the model does not (`uuid`, `eksConfiguration`,
 * `scalingPolicy`, ...) is left out of the model; an unknown value of an optional enum is left out
 * too, an unknown value of a field the model requires is error `BATCHKIT-PROVISION-007`.
 */
import type * as batch from '@aws-sdk/client-batch';
import { RESOURCE_STATES, type ResourceStatus } from '../../core/model/common';
import {
  CE_TYPES,
  CR_ALLOCATION_STRATEGIES,
  CR_TYPES,
  type ComputeEnvironment,
  type ComputeResource,
  type Ec2Configuration,
  type EksConfiguration,
  type LaunchTemplateSpecification,
  type LaunchTemplateSpecificationOverride,
  type UpdatePolicy,
} from '../../core/model/compute-environment';
import type {
  ComputeEnvironmentOrder,
  FairsharePolicy,
  JobQueue,
  JobStateTimeLimitAction,
  JobStateTimeLimitActionsAction,
  SchedulingPolicy,
} from '../../core/model/job-queue';
import {
  compact,
  mapList,
  oneOf,
  ORCHESTRATION_TYPES,
  required,
  type AllFields,
  type Check,
  type FieldsIn,
} from './map-util';

const RESOURCE_STATUSES: readonly ResourceStatus[] = [
  'CREATING',
  'UPDATING',
  'DELETING',
  'DELETED',
  'VALID',
  'INVALID',
];
const TIME_LIMIT_ACTIONS: readonly JobStateTimeLimitActionsAction[] = ['CANCEL', 'TERMINATE'];
const TIME_LIMIT_STATES: readonly 'RUNNABLE'[] = ['RUNNABLE'];
/** Allocation strategies UpdateComputeEnvironment accepts (BEST_FIT is not one). */
const UPDATE_ALLOCATION_STRATEGIES: readonly batch.CRUpdateAllocationStrategy[] = [
  'BEST_FIT_PROGRESSIVE',
  'SPOT_CAPACITY_OPTIMIZED',
  'SPOT_PRICE_CAPACITY_OPTIMIZED',
];

/** Compile-time: every model field of these shapes exists in the SDK's shape. */
export type BatchFieldChecks = [
  Check<FieldsIn<ComputeEnvironment, batch.ComputeEnvironmentDetail & { replaceComputeEnvironment?: boolean }>>,
  Check<FieldsIn<ComputeResource, batch.ComputeResource>>,
  Check<FieldsIn<LaunchTemplateSpecification, batch.LaunchTemplateSpecification>>,
  Check<FieldsIn<Ec2Configuration, batch.Ec2Configuration>>,
  Check<FieldsIn<UpdatePolicy, batch.UpdatePolicy>>,
  Check<FieldsIn<JobQueue, batch.JobQueueDetail>>,
  Check<FieldsIn<JobStateTimeLimitAction, batch.JobStateTimeLimitAction>>,
  Check<FieldsIn<SchedulingPolicy, batch.SchedulingPolicyDetail>>,
];

// ---------------------------------------------------------------- SDK → model

/** The launch template reference (the same fields in the SDK and the model, both ways). */
function launchTemplateFields(l: batch.LaunchTemplateSpecification): LaunchTemplateSpecification {
  return compact({
    launchTemplateId: l.launchTemplateId,
    launchTemplateName: l.launchTemplateName,
    version: l.version,
    overrides: mapList(l.overrides, (o) =>
      compact({
        launchTemplateId: o.launchTemplateId,
        launchTemplateName: o.launchTemplateName,
        version: o.version,
        targetInstanceTypes: o.targetInstanceTypes,
      } satisfies AllFields<LaunchTemplateSpecificationOverride>),
    ),
  } satisfies AllFields<LaunchTemplateSpecification>);
}

/** The EKS cluster of an environment (both fields are required by the model). */
function eksConfigurationFields(e: batch.EksConfiguration | undefined): EksConfiguration | undefined {
  if (e?.eksClusterArn === undefined || e.kubernetesNamespace === undefined) return undefined;
  return {
    eksClusterArn: e.eksClusterArn,
    kubernetesNamespace: e.kubernetesNamespace,
  } satisfies AllFields<EksConfiguration>;
}

/** An AMI choice (the same fields in the SDK and the model, both ways); undefined without an image type. */
function ec2ConfigurationFields(c: batch.Ec2Configuration): Ec2Configuration | undefined {
  if (c.imageType === undefined) return undefined;
  return compact({
    imageType: c.imageType,
    imageIdOverride: c.imageIdOverride,
    imageKubernetesVersion: c.imageKubernetesVersion,
  } satisfies AllFields<Ec2Configuration>);
}

/** `computeResources` as DescribeComputeEnvironments returns them, in the model's shape. */
export function computeResourceFromSdk(cr: batch.ComputeResource, resource: string): ComputeResource {
  return compact({
    type: required(CR_TYPES, cr.type, resource, 'computeResources.type'),
    allocationStrategy: oneOf(CR_ALLOCATION_STRATEGIES, cr.allocationStrategy),
    minvCpus: cr.minvCpus,
    maxvCpus: cr.maxvCpus ?? 0,
    desiredvCpus: cr.desiredvCpus,
    instanceTypes: cr.instanceTypes,
    imageId: cr.imageId,
    subnets: cr.subnets ?? [],
    securityGroupIds: cr.securityGroupIds,
    ec2KeyPair: cr.ec2KeyPair,
    instanceRole: cr.instanceRole,
    tags: cr.tags,
    placementGroup: cr.placementGroup,
    bidPercentage: cr.bidPercentage,
    spotIamFleetRole: cr.spotIamFleetRole,
    launchTemplate: cr.launchTemplate && launchTemplateFields(cr.launchTemplate),
    ec2Configuration: mapList(cr.ec2Configuration, ec2ConfigurationFields),
  } satisfies AllFields<ComputeResource>);
}

/** A compute environment as DescribeComputeEnvironments returns it, in the model's shape. */
export function computeEnvironmentFromSdk(d: batch.ComputeEnvironmentDetail): ComputeEnvironment {
  const name = d.computeEnvironmentName ?? '';
  const resource = `compute environment "${name}"`;
  return compact({
    computeEnvironmentName: name,
    computeEnvironmentArn: d.computeEnvironmentArn,
    type: required(CE_TYPES, d.type, resource, 'type'),
    state: oneOf(RESOURCE_STATES, d.state),
    status: oneOf(RESOURCE_STATUSES, d.status),
    statusReason: d.statusReason,
    computeResources: d.computeResources && computeResourceFromSdk(d.computeResources, resource),
    serviceRole: d.serviceRole,
    unmanagedvCpus: d.unmanagedvCpus,
    ecsClusterArn: d.ecsClusterArn,
    updatePolicy:
      d.updatePolicy &&
      compact({
        terminateJobsOnUpdate: d.updatePolicy.terminateJobsOnUpdate,
        jobExecutionTimeoutMinutes: d.updatePolicy.jobExecutionTimeoutMinutes,
      }),
    tags: d.tags,
    containerOrchestrationType: oneOf(ORCHESTRATION_TYPES, d.containerOrchestrationType),
    eksConfiguration: eksConfigurationFields(d.eksConfiguration),
    // Not part of DescribeComputeEnvironments (an UpdateComputeEnvironment request field).
    replaceComputeEnvironment: undefined,
  } satisfies AllFields<ComputeEnvironment>);
}

function timeLimitActionFromSdk(a: batch.JobStateTimeLimitAction, resource: string): JobStateTimeLimitAction {
  return {
    reason: a.reason ?? '',
    state: required(TIME_LIMIT_STATES, a.state, resource, 'jobStateTimeLimitActions[].state'),
    maxTimeSeconds: a.maxTimeSeconds ?? 0,
    action: required(TIME_LIMIT_ACTIONS, a.action, resource, 'jobStateTimeLimitActions[].action'),
  };
}

function orderFromSdk(o: batch.ComputeEnvironmentOrder): ComputeEnvironmentOrder {
  return { order: o.order ?? 0, computeEnvironment: o.computeEnvironment ?? '' };
}

/** A job queue as DescribeJobQueues returns it, in the model's shape. */
export function jobQueueFromSdk(d: batch.JobQueueDetail): JobQueue {
  const name = d.jobQueueName ?? '';
  const resource = `job queue "${name}"`;
  return compact({
    jobQueueName: name,
    jobQueueArn: d.jobQueueArn,
    state: oneOf(RESOURCE_STATES, d.state),
    status: oneOf(RESOURCE_STATUSES, d.status),
    statusReason: d.statusReason,
    priority: d.priority ?? 0,
    computeEnvironmentOrder: (d.computeEnvironmentOrder ?? []).map(orderFromSdk),
    schedulingPolicyArn: d.schedulingPolicyArn,
    jobStateTimeLimitActions: mapList(d.jobStateTimeLimitActions, (a) => timeLimitActionFromSdk(a, resource)),
    tags: d.tags,
  } satisfies AllFields<JobQueue>);
}

function fairshareFromSdk(f: batch.FairsharePolicy): FairsharePolicy {
  return compact({
    shareDecaySeconds: f.shareDecaySeconds,
    computeReservation: f.computeReservation,
    shareDistribution: mapList(f.shareDistribution, (s) =>
      s.shareIdentifier === undefined
        ? undefined
        : compact({ shareIdentifier: s.shareIdentifier, weightFactor: s.weightFactor }),
    ),
  } satisfies AllFields<FairsharePolicy>);
}

/** A scheduling policy as DescribeSchedulingPolicies returns it, in the model's shape. */
export function schedulingPolicyFromSdk(d: batch.SchedulingPolicyDetail): SchedulingPolicy {
  return compact({
    name: d.name ?? '',
    arn: d.arn,
    fairsharePolicy: d.fairsharePolicy && fairshareFromSdk(d.fairsharePolicy),
    tags: d.tags,
  } satisfies AllFields<SchedulingPolicy>);
}

// ---------------------------------------------------------------- model → SDK

/** The model's compute resources as CreateComputeEnvironment takes them. */
export function computeResourceToSdk(cr: ComputeResource): batch.ComputeResource {
  return compact({
    type: cr.type,
    allocationStrategy: cr.allocationStrategy,
    minvCpus: cr.minvCpus,
    maxvCpus: cr.maxvCpus,
    desiredvCpus: cr.desiredvCpus,
    instanceTypes: cr.instanceTypes,
    imageId: cr.imageId,
    subnets: cr.subnets,
    securityGroupIds: cr.securityGroupIds,
    ec2KeyPair: cr.ec2KeyPair,
    instanceRole: cr.instanceRole,
    tags: cr.tags,
    placementGroup: cr.placementGroup,
    bidPercentage: cr.bidPercentage,
    spotIamFleetRole: cr.spotIamFleetRole,
    launchTemplate: cr.launchTemplate && launchTemplateFields(cr.launchTemplate),
    ec2Configuration: mapList(cr.ec2Configuration, ec2ConfigurationFields),
  } satisfies AllFields<ComputeResource>);
}

/** The request fields of a compute environment, as the provisioner's desired state holds them. */
export type ComputeEnvironmentSpec = Omit<
  ComputeEnvironment,
  | 'computeEnvironmentArn'
  | 'status'
  | 'statusReason'
  | 'ecsClusterArn'
  | 'containerOrchestrationType'
  | 'replaceComputeEnvironment'
>;

/** CreateComputeEnvironment for a model compute environment, under `name`. */
export function createComputeEnvironmentInput(
  name: string,
  spec: ComputeEnvironmentSpec,
): batch.CreateComputeEnvironmentCommandInput {
  return compact({
    computeEnvironmentName: name,
    type: spec.type,
    state: spec.state,
    unmanagedvCpus: spec.unmanagedvCpus,
    computeResources: spec.computeResources && computeResourceToSdk(spec.computeResources),
    serviceRole: spec.serviceRole,
    tags: spec.tags,
    eksConfiguration: spec.eksConfiguration,
    // CreateComputeEnvironment takes no update policy; it applies to later updates only.
    updatePolicy: undefined,
  } satisfies AllFields<ComputeEnvironmentSpec>);
}

/**
 * UpdateComputeEnvironment for `target` that sets the `fields` (API paths, `computeResources.maxvCpus`)
 * to their values in `spec`; `state` left out of the spec is ENABLED. Fields UpdateComputeEnvironment
 * cannot set are not sent (the plan makes those a replacement).
 */
export function updateComputeEnvironmentInput(
  target: string,
  spec: ComputeEnvironmentSpec,
  fields: readonly string[],
): batch.UpdateComputeEnvironmentCommandInput {
  const top = (f: string) => fields.includes(f);
  const res = (f: keyof ComputeResource) => fields.includes(`computeResources.${f}`);
  const cr = spec.computeResources;
  const resources: batch.ComputeResourceUpdate | undefined =
    cr && fields.some((f) => f.startsWith('computeResources.'))
      ? compact({
          type: res('type') ? cr.type : undefined,
          minvCpus: res('minvCpus') ? cr.minvCpus : undefined,
          maxvCpus: res('maxvCpus') ? cr.maxvCpus : undefined,
          desiredvCpus: res('desiredvCpus') ? cr.desiredvCpus : undefined,
          allocationStrategy: res('allocationStrategy')
            ? oneOf(UPDATE_ALLOCATION_STRATEGIES, cr.allocationStrategy)
            : undefined,
          instanceTypes: res('instanceTypes') ? cr.instanceTypes : undefined,
          subnets: res('subnets') ? cr.subnets : undefined,
          securityGroupIds: res('securityGroupIds') ? cr.securityGroupIds : undefined,
          ec2KeyPair: res('ec2KeyPair') ? cr.ec2KeyPair : undefined,
          instanceRole: res('instanceRole') ? cr.instanceRole : undefined,
          tags: res('tags') ? cr.tags : undefined,
          placementGroup: res('placementGroup') ? cr.placementGroup : undefined,
          bidPercentage: res('bidPercentage') ? cr.bidPercentage : undefined,
          launchTemplate:
            res('launchTemplate') && cr.launchTemplate ? launchTemplateFields(cr.launchTemplate) : undefined,
          ec2Configuration: res('ec2Configuration') ? computeResourceToSdk(cr).ec2Configuration : undefined,
          imageId: res('imageId') ? cr.imageId : undefined,
        })
      : undefined;
  return compact({
    computeEnvironment: target,
    state: top('state') ? (spec.state ?? 'ENABLED') : undefined,
    unmanagedvCpus: top('unmanagedvCpus') ? spec.unmanagedvCpus : undefined,
    serviceRole: top('serviceRole') ? spec.serviceRole : undefined,
    updatePolicy: top('updatePolicy') ? spec.updatePolicy : undefined,
    computeResources: resources,
  });
}

/** The request fields of a job queue, as the provisioner's desired state holds them. */
export type JobQueueSpec = Omit<JobQueue, 'jobQueueArn' | 'status' | 'statusReason'>;

/** The fields CreateJobQueue and UpdateJobQueue share, from a model job queue. */
export function jobQueueFieldsToSdk(spec: JobQueueSpec) {
  return compact({
    state: spec.state,
    priority: spec.priority,
    computeEnvironmentOrder: spec.computeEnvironmentOrder.map((o): batch.ComputeEnvironmentOrder => ({
      order: o.order,
      computeEnvironment: o.computeEnvironment,
    })),
    schedulingPolicyArn: spec.schedulingPolicyArn,
    jobStateTimeLimitActions: spec.jobStateTimeLimitActions?.map((a): batch.JobStateTimeLimitAction => ({
      reason: a.reason,
      state: a.state,
      maxTimeSeconds: a.maxTimeSeconds,
      action: a.action,
    })),
  });
}

/** CreateJobQueue for a model job queue. */
export function createJobQueueInput(spec: JobQueueSpec): batch.CreateJobQueueCommandInput {
  return { jobQueueName: spec.jobQueueName, ...jobQueueFieldsToSdk(spec), ...(spec.tags ? { tags: spec.tags } : {}) };
}

/** UpdateJobQueue for a model job queue (tags are not updatable there). */
export function updateJobQueueInput(spec: JobQueueSpec): batch.UpdateJobQueueCommandInput {
  return { jobQueue: spec.jobQueueName, ...jobQueueFieldsToSdk(spec) };
}

/** The model's fair-share policy as CreateSchedulingPolicy / UpdateSchedulingPolicy take it. */
export function fairshareToSdk(f: FairsharePolicy): batch.FairsharePolicy {
  return compact({
    shareDecaySeconds: f.shareDecaySeconds,
    computeReservation: f.computeReservation,
    shareDistribution: f.shareDistribution?.map((s) =>
      compact({ shareIdentifier: s.shareIdentifier, weightFactor: s.weightFactor }),
    ),
  });
}
