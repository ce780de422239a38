/**
 * Renders a job definition: the props every job definition shares into the Batch API's shape, then
 * the core rule check (retries, timeout, containers, ...: the codes `batchkit validate` reports), the
 * stack model registration and the one CloudFormation resource ({@link renderJobDefinition}).
 */
import { Fn } from 'aws-cdk-lib';
import { CfnJobDefinition } from 'aws-cdk-lib/aws-batch';
import type { Construct } from 'constructs';
import type { PlatformCapability } from '../../core/model/common';
import type { JobDefinition, NodeProperties } from '../../core/model/job-definition';
import type { EcsProperties, EksProperties } from '../../core/model/job-definition-pods';
import { refPlaceholders } from '../../core/rules/names';
import { ResourceRetentionPolicy, type JobDefinitionProps } from '../job/job-definition-base';
import { Action } from '../job/retry-strategy';
import { checkWithRules, constructError } from './job-findings';
import type { RenderedContainer } from './job-render';
import { StackBatchModel } from './job-stack-model';
import { cfnEcsProperties, cfnEksProperties } from './pod-render';

/**
 * `Ref::name` placeholders must be declared: in `parameters` (with a default) or in
 * `requiredParameters`, a construct-only prop the model has no field for (hence a `BATCHKIT-CDK`
 * code; the core's `BATCH-JD-020` warns about placeholders without a default on any template).
 */
function checkParameters(
  scope: Construct,
  props: JobDefinitionProps,
  commands: ReadonlyArray<{ where: string; command?: string[] }>,
): void {
  const declared = new Set([...Object.keys(props.parameters ?? {}), ...(props.requiredParameters ?? [])]);
  for (const { where, command } of commands) {
    for (const name of refPlaceholders(command)) {
      if (!declared.has(name)) {
        throw constructError(
          scope,
          'BATCHKIT-CDK-006',
          `${where}.command uses Ref::${name}, which is not a declared parameter; ` +
            `Batch would pass the literal text "Ref::${name}".`,
          {
            value: name,
            allowed: declared.size ? [...declared].join(', ') : 'no parameters are declared',
            fix: `add ${name} to parameters (with a default) or to requiredParameters (supplied at SubmitJob).`,
          },
        );
      }
    }
  }
}

/** `timeout` in seconds, fractions kept so that the rules report them (`BATCH-JD-007`). */
function timeoutSeconds(props: JobDefinitionProps): number | undefined {
  if (!props.timeout) return undefined;
  if (props.timeout.isUnresolved()) return props.timeout.toSeconds();
  return props.timeout.toMilliseconds() / 1000;
}

/** The common part of the job definition model. */
function renderBase(
  scope: Construct,
  props: JobDefinitionProps,
  commands: ReadonlyArray<{ where: string; command?: string[] }>,
): Omit<JobDefinition, 'jobDefinitionName' | 'type'> {
  checkParameters(scope, props, commands);
  const timeout = timeoutSeconds(props);
  const out: Omit<JobDefinition, 'jobDefinitionName' | 'type'> = {};
  if (props.parameters && Object.keys(props.parameters).length) out.parameters = { ...props.parameters };
  const evaluateOnExit = props.retryStrategies?.map((r) => r.render());
  if (props.retryAttempts !== undefined || evaluateOnExit?.length) {
    const retries = evaluateOnExit?.some((e) => e.action === Action.RETRY);
    out.retryStrategy = {
      attempts: props.retryAttempts ?? (retries ? 2 : 1),
      ...(evaluateOnExit?.length ? { evaluateOnExit } : {}),
    };
  }
  if (props.schedulingPriority !== undefined) out.schedulingPriority = props.schedulingPriority;
  if (timeout !== undefined) out.timeout = { attemptDurationSeconds: timeout };
  if (props.propagateTags !== undefined) out.propagateTags = props.propagateTags;
  return out;
}

/** CloudFormation's `ResourceRetentionPolicy`, or undefined for the default. */
function renderRetention(props: JobDefinitionProps): { skipDeregisterOnUpdate: boolean } | undefined {
  if (props.retentionPolicy === undefined) return undefined;
  return { skipDeregisterOnUpdate: props.retentionPolicy === ResourceRetentionPolicy.SKIP_DEREGISTER_ON_UPDATE };
}

/** A name for messages and the stack model when CloudFormation generates the real one. */
function modelName(scope: Construct, physical: string | undefined): string {
  if (physical !== undefined) return physical;
  return scope.node.id.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128) || 'job-definition';
}

/** One node range of a multi-node job definition, its container rendered. */
export interface RenderedNodeRange {
  /** `start:end` or a single index. */
  targetNodes: string;
  /** The range's container. */
  container: RenderedContainer;
  /** Instance types of the range. */
  instanceTypes?: string[];
}

/** `nodeProperties` with rendered containers. */
export type RenderedNodeProperties = Omit<NodeProperties, 'nodeRangeProperties'> & {
  nodeRangeProperties: RenderedNodeRange[];
};

/** The part of a job definition its class renders itself: the container, or the node ranges. */
export type JobDefinitionBody =
  | {
      /** A single-container job. */
      readonly type: 'container';
      /** The rendered container. */
      readonly containerProperties: RenderedContainer;
      /** Where the container runs (the only `platformCapabilities` entry). */
      readonly platform: PlatformCapability;
    }
  | {
      /** A multi-node parallel job (EC2 only). */
      readonly type: 'multinode';
      /** The rendered node properties. */
      readonly nodeProperties: RenderedNodeProperties;
      /** Where the nodes run: EC2, or FARGATE when a node range has a Fargate container (the rules reject it). */
      readonly platform: PlatformCapability;
    }
  | {
      /** An ECS task of several containers. */
      readonly type: 'ecs';
      /** The rendered task. */
      readonly ecsProperties: EcsProperties;
      /** Where the task runs. */
      readonly platform: PlatformCapability;
    }
  | {
      /** An EKS pod (EC2 only). */
      readonly type: 'eks';
      /** The rendered pod. */
      readonly eksProperties: EksProperties;
    };

/** Props of {@link renderJobDefinition}: the shared props and the tags. */
export interface RenderJobDefinitionProps extends JobDefinitionProps {
  /**
   * Tags of the job definition.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/** What {@link renderJobDefinition} produced. */
export interface RenderedJobDefinition {
  /** The job definition in the Batch API's shape. */
  readonly model: JobDefinition;
  /** The ARN (the resource's `Ref`). */
  readonly jobDefinitionArn: string;
  /** The name: the given one, or the name part of the ARN. */
  readonly jobDefinitionName: string;
}

/** The commands of a body, each with its API path, for the `Ref::` parameter check. */
function bodyCommands(body: JobDefinitionBody): Array<{ where: string; command?: string[] }> {
  if (body.type === 'container') return [{ where: 'containerProperties', command: body.containerProperties.command }];
  if (body.type === 'ecs')
    return body.ecsProperties.taskProperties[0].containers.map((c, i) => ({
      where: `ecsProperties.taskProperties[0].containers[${i}]`,
      command: c.command,
    }));
  if (body.type === 'eks') return [];
  return body.nodeProperties.nodeRangeProperties.map((r, i) => ({
    where: `nodeProperties.nodeRangeProperties[${i}].container`,
    command: r.container.command,
  }));
}

/** The type-specific part of the model (and of the L1 resource). */
function bodyModel(
  body: JobDefinitionBody,
): Pick<
  JobDefinition,
  | 'containerProperties'
  | 'nodeProperties'
  | 'ecsProperties'
  | 'eksProperties'
  | 'platformCapabilities'
  | 'containerOrchestrationType'
> {
  switch (body.type) {
    case 'container':
      return { containerProperties: body.containerProperties, platformCapabilities: [body.platform] };
    case 'multinode':
      return { nodeProperties: body.nodeProperties, platformCapabilities: [body.platform] };
    case 'ecs':
      return { ecsProperties: body.ecsProperties, platformCapabilities: [body.platform] };
    case 'eks':
      return { eksProperties: body.eksProperties, containerOrchestrationType: 'EKS' };
  }
}

/**
 * Renders and validates a job definition and emits its one `CfnJobDefinition` (id `Resource`):
 * builds the model from the shared props and the body, checks it with the per-resource rules
 * (errors throw with the construct path), registers it in the stack model for the cross-resource
 * rules, then writes the L1 resource from the model.
 */
export function renderJobDefinition(
  scope: Construct,
  props: RenderJobDefinitionProps,
  body: JobDefinitionBody,
): RenderedJobDefinition {
  const type = body.type === 'multinode' ? 'multinode' : 'container';
  const { containerOrchestrationType, ...typed } = bodyModel(body);
  const model: JobDefinition = {
    jobDefinitionName: modelName(scope, props.jobDefinitionName),
    type,
    ...renderBase(scope, props, bodyCommands(body)),
    ...typed,
    ...(containerOrchestrationType ? { containerOrchestrationType } : {}),
    ...(props.tags ? { tags: { ...props.tags } } : {}),
  };
  checkWithRules(scope, { jobDefinitions: [model] });
  StackBatchModel.of(scope).addJobDefinition(scope, model);

  const resource = new CfnJobDefinition(scope, 'Resource', {
    type,
    jobDefinitionName: props.jobDefinitionName,
    containerProperties: body.type === 'container' ? body.containerProperties : undefined,
    nodeProperties: body.type === 'multinode' ? body.nodeProperties : undefined,
    ecsProperties: body.type === 'ecs' ? cfnEcsProperties(body.ecsProperties) : undefined,
    eksProperties: body.type === 'eks' ? cfnEksProperties(body.eksProperties) : undefined,
    parameters: model.parameters,
    retryStrategy: model.retryStrategy,
    schedulingPriority: model.schedulingPriority,
    timeout: model.timeout,
    propagateTags: model.propagateTags,
    platformCapabilities: model.platformCapabilities,
    tags: model.tags,
    resourceRetentionPolicy: renderRetention(props),
  });
  return {
    model,
    jobDefinitionArn: resource.ref,
    jobDefinitionName:
      props.jobDefinitionName ?? Fn.select(0, Fn.split(':', Fn.select(1, Fn.split('job-definition/', resource.ref)))),
  };
}
