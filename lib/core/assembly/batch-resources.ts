/**
 * `AWS::Batch::*` resources → model objects (API shapes, with names, ARNs and source locations).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/AWS_Batch.html
 */
import type { LoadedComputeEnvironment } from '../model/compute-environment';
import type { LoadedJobDefinition } from '../model/job-definition';
import type { LoadedJobQueue, LoadedSchedulingPolicy } from '../model/job-queue';
import { lower, toApiShape, upper } from './cfn-to-model';
import type { JsonObject } from './json';
import { batchResourceArn, batchResourceName } from './physical-ids';
import type { StackContext } from './stack-context';

type Fields = Record<string, unknown>;

/** Converts a resource's resolved properties, leaving out the keys handled by the caller. */
function convert(props: JsonObject, omit: readonly string[]): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(props)) {
    if (omit.includes(k)) continue;
    const shaped = toApiShape({ [k]: v }) as Fields;
    Object.assign(out, shaped);
  }
  return out;
}

/** `AWS::Batch::JobDefinition` → {@link LoadedJobDefinition} (revision 1, ACTIVE). */
export function jobDefinitionFrom(ctx: StackContext, logicalId: string): LoadedJobDefinition {
  const type = 'AWS::Batch::JobDefinition';
  const props = ctx.properties(logicalId);
  const rest = convert(props, ['JobDefinitionName', 'Type', 'ResourceRetentionPolicy']);
  return {
    jobDefinitionName: batchResourceName(ctx, type, logicalId),
    jobDefinitionArn: batchResourceArn(ctx, type, logicalId),
    revision: 1,
    status: 'ACTIVE',
    type: lower(props.Type) as LoadedJobDefinition['type'],
    ...rest,
    containerOrchestrationType: props.EksProperties !== undefined ? 'EKS' : 'ECS',
    source: ctx.source(logicalId),
  } as LoadedJobDefinition;
}

/**
 * `AWS::Batch::ComputeEnvironment` → {@link LoadedComputeEnvironment}; `type` upper-cased, `state` defaults to
 * ENABLED.
 */
export function computeEnvironmentFrom(ctx: StackContext, logicalId: string): LoadedComputeEnvironment {
  const type = 'AWS::Batch::ComputeEnvironment';
  const props = ctx.properties(logicalId);
  const rest = convert(props, ['ComputeEnvironmentName', 'Type', 'State', 'Context']);
  const computeResources = rest.computeResources as Fields | undefined;
  if (computeResources) {
    computeResources.type = upper(computeResources.type);
    if (computeResources.allocationStrategy !== undefined)
      computeResources.allocationStrategy = upper(computeResources.allocationStrategy);
  }
  return {
    computeEnvironmentName: batchResourceName(ctx, type, logicalId),
    computeEnvironmentArn: batchResourceArn(ctx, type, logicalId),
    type: upper(props.Type) as LoadedComputeEnvironment['type'],
    state: (upper(props.State) ?? 'ENABLED') as LoadedComputeEnvironment['state'],
    ...rest,
    containerOrchestrationType: props.EksConfiguration !== undefined ? 'EKS' : 'ECS',
    source: ctx.source(logicalId),
  } as LoadedComputeEnvironment;
}

/** `AWS::Batch::JobQueue` → {@link LoadedJobQueue}; `state` defaults to ENABLED. */
export function jobQueueFrom(ctx: StackContext, logicalId: string): LoadedJobQueue {
  const type = 'AWS::Batch::JobQueue';
  const props = ctx.properties(logicalId);
  const rest = convert(props, ['JobQueueName', 'State']);
  return {
    jobQueueName: batchResourceName(ctx, type, logicalId),
    jobQueueArn: batchResourceArn(ctx, type, logicalId),
    state: (upper(props.State) ?? 'ENABLED') as LoadedJobQueue['state'],
    ...rest,
    computeEnvironmentOrder: (rest.computeEnvironmentOrder ?? []) as LoadedJobQueue['computeEnvironmentOrder'],
    source: ctx.source(logicalId),
  } as LoadedJobQueue;
}

/** `AWS::Batch::SchedulingPolicy` → {@link LoadedSchedulingPolicy}. */
export function schedulingPolicyFrom(ctx: StackContext, logicalId: string): LoadedSchedulingPolicy {
  const type = 'AWS::Batch::SchedulingPolicy';
  const props = ctx.properties(logicalId);
  const rest = convert(props, ['Name']);
  return {
    name: batchResourceName(ctx, type, logicalId),
    arn: batchResourceArn(ctx, type, logicalId),
    ...rest,
    source: ctx.source(logicalId),
  } as LoadedSchedulingPolicy;
}
