/**
 * A single-container job definition for EC2/Spot or Fargate compute environments.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/create-job-definition.html
 */
import { Fn } from 'aws-cdk-lib';
import { CfnJobDefinition } from 'aws-cdk-lib/aws-batch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { JobDefinition } from '../../core/model/job-definition';
import { renderBase, renderRetention, modelName } from '../private/job-base-render';
import { JobExecutionRole } from '../iam/job-execution-role';
import { checkWithRules } from '../private/job-findings';
import { renderContainer } from '../private/job-render';
import { StackBatchModel } from '../private/job-stack-model';
import { JobDefinitionBase, type JobDefinitionProps } from './job-definition-base';
import type { JobContainer } from './job-container';

/** Props of {@link ContainerJobDefinition}. */
export interface ContainerJobDefinitionProps extends JobDefinitionProps {
  /** The container: `JobContainer.ec2({...})` or `JobContainer.fargate({...})`; it decides `platformCapabilities`. */
  readonly container: JobContainer;
  /**
   * Tags of the job definition.
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/**
 * A container job definition. It renders ONE CloudFormation resource: the execution role is
 * shared by every job definition of the stack.
 */
export class ContainerJobDefinition extends JobDefinitionBase {
  public readonly jobDefinitionArn: string;
  public readonly jobDefinitionName: string;
  /** `EC2` or `FARGATE`. */
  public readonly platform: 'EC2' | 'FARGATE';
  /** The execution role (shared by the stack's job definitions). */
  public readonly executionRole: iam.IRole;
  /** The job definition in the Batch API's shape, as batchkit's rules see it. */
  public readonly model: JobDefinition;

  constructor(scope: Construct, id: string, props: ContainerJobDefinitionProps) {
    super(scope, id, { physicalName: props.jobDefinitionName });
    this.platform = props.container.platform;
    this.executionRole = props.container.options.executionRole ?? JobExecutionRole.forStack(this);
    const containerProperties = renderContainer(this, props.container, this.executionRole, 'containerProperties');
    this.model = {
      jobDefinitionName: modelName(this, props.jobDefinitionName),
      type: 'container',
      ...renderBase(this, props, [{ where: 'containerProperties', command: containerProperties.command }]),
      containerProperties,
      platformCapabilities: [this.platform],
      ...(props.tags ? { tags: { ...props.tags } } : {}),
    };
    checkWithRules(this, { jobDefinitions: [this.model] });
    StackBatchModel.of(this).addJobDefinition(this, this.model);

    const m = this.model;
    const resource = new CfnJobDefinition(this, 'Resource', {
      type: 'container',
      jobDefinitionName: props.jobDefinitionName,
      containerProperties,
      parameters: m.parameters,
      retryStrategy: m.retryStrategy,
      schedulingPriority: m.schedulingPriority,
      timeout: m.timeout,
      propagateTags: m.propagateTags,
      platformCapabilities: m.platformCapabilities,
      tags: m.tags,
      resourceRetentionPolicy: renderRetention(props),
    });
    this.jobDefinitionArn = resource.ref;
    this.jobDefinitionName = props.jobDefinitionName ?? Fn.select(0, Fn.split(':', Fn.select(1, Fn.split('job-definition/', resource.ref))));
  }
}
