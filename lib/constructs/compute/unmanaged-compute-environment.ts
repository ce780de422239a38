/**
 * An unmanaged compute environment: Batch creates the ECS cluster, you launch and scale the
 * container instances into it.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/compute_environments.html#unmanaged_compute_environments
 */
import { ArnFormat, Resource, Stack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ComputeEnvironment } from '../../core/model/compute-environment';
import { unresolvedString } from '../../core/model/unresolved';
import { importComputeEnvironment } from '../private/compute-common';
import { checkWithRules } from '../private/job-findings';
import type { Architecture, ComputeEnvironmentProps, IComputeEnvironment } from './compute-environment-base';

/** Props of {@link UnmanagedComputeEnvironment}. */
export interface UnmanagedComputeEnvironmentProps extends ComputeEnvironmentProps {
  /**
   * vCPUs the environment has, used by fair-share scheduling policies only (`unmanagedvCpus`).
   * @default - not set; required when a queue with a scheduling policy uses the environment
   */
  readonly unmanagedvCpus?: number;
  /**
   * Architecture of the instances you will launch, for batchkit's queue checks.
   * @default 'x86_64'
   */
  readonly architecture?: Architecture;
}

/**
 * An unmanaged compute environment. Launch container instances into its ECS cluster yourself
 * (user data: `echo "ECS_CLUSTER=<cluster>" >> /etc/ecs/ecs.config`); Batch does not scale it.
 * Uses the service-linked role unless `serviceRole` is given (aws-cdk-lib creates a role).
 */
export class UnmanagedComputeEnvironment extends Resource implements IComputeEnvironment {
  /** Imports an existing unmanaged compute environment. */
  public static fromComputeEnvironmentArn(
    scope: Construct,
    id: string,
    arn: string,
    architecture?: Architecture,
  ): IComputeEnvironment {
    return importComputeEnvironment(scope, id, arn, 'EC2', architecture);
  }

  /** @attribute */
  public readonly computeEnvironmentArn: string;
  /** @attribute */
  public readonly computeEnvironmentName: string;
  /** Always `EC2`. */
  public readonly platform = 'EC2' as const;
  /** Architecture of the instances (as declared). */
  public readonly architecture: Architecture;
  /** The service role; undefined means the service-linked role. */
  public readonly serviceRole?: iam.IRole;
  /** The environment in the Batch API's shape. */
  public readonly model: ComputeEnvironment;
  /** The L1 resource. */
  public readonly resource: batch.CfnComputeEnvironment;

  constructor(scope: Construct, id: string, props: UnmanagedComputeEnvironmentProps = {}) {
    super(scope, id);
    this.architecture = props.architecture ?? 'x86_64';
    this.serviceRole = props.serviceRole;
    const v = props.unmanagedvCpus;
    const state = props.enabled === false ? 'DISABLED' : 'ENABLED';
    this.model = {
      computeEnvironmentName:
        props.computeEnvironmentName ?? unresolvedString(`name generated at deployment for ${this.node.path}`),
      type: 'UNMANAGED',
      state,
      serviceRole: props.serviceRole?.roleArn,
      unmanagedvCpus: v,
    };
    checkWithRules(this, { computeEnvironments: [this.model] });
    this.resource = new batch.CfnComputeEnvironment(this, 'Resource', {
      type: 'UNMANAGED',
      computeEnvironmentName: props.computeEnvironmentName,
      state,
      serviceRole: props.serviceRole?.roleArn,
      unmanagedvCpus: v,
    });
    this.computeEnvironmentArn = this.resource.attrComputeEnvironmentArn;
    this.computeEnvironmentName =
      props.computeEnvironmentName ??
      (Stack.of(this).splitArn(this.computeEnvironmentArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName as string);
  }
}
