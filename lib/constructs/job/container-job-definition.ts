/**
 * A single-container job definition for EC2/Spot or Fargate compute environments.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/create-job-definition.html
 */
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { JobDefinition } from '../../core/model/job-definition';
import { JobExecutionRole } from '../iam/job-execution-role';
import { renderJobDefinition } from '../private/job-base-render';
import { renderContainer } from '../private/job-render';
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
    const rendered = renderJobDefinition(this, props, {
      type: 'container',
      containerProperties: renderContainer(this, props.container, this.executionRole),
      platform: this.platform,
    });
    this.model = rendered.model;
    this.jobDefinitionArn = rendered.jobDefinitionArn;
    this.jobDefinitionName = rendered.jobDefinitionName;
  }
}
