/**
 * A managed compute environment of AWS Fargate or Fargate Spot capacity.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/fargate.html
 */
import { ArnFormat, Resource, Stack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ComputeEnvironment } from '../../core/model/compute-environment';
import { unresolvedString } from '../../core/model/unresolved';
import { importComputeEnvironment } from '../private/compute-common';
import { checkWithRules, constructWarning } from '../private/job-findings';
import type { ComputeEnvironmentProps, IComputeEnvironment } from './compute-environment-base';

/** Props of {@link FargateComputeEnvironment}. */
export interface FargateComputeEnvironmentProps extends ComputeEnvironmentProps {
  /** The VPC the tasks run in (a `BatchVpc` or any `ec2.IVpc`). */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the tasks. Fargate jobs get no public IP by default, so private subnets need a NAT
   * gateway or VPC endpoints (see `BatchVpc`).
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the tasks (at most 5).
   * @default - one new security group with all outbound traffic allowed and no inbound rule
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Use Fargate Spot (`FARGATE_SPOT`) instead of Fargate (`FARGATE`).
   * @default false
   */
  readonly spot?: boolean;
  /**
   * Upper bound of vCPUs of all running jobs together.
   * @default 256
   */
  readonly maxvCpus?: number;
}

/**
 * A Fargate or Fargate Spot compute environment. There are no instances: no instance types,
 * images, instance role or update policy, so none of those props exist here (aws-cdk-lib accepts
 * some and ignores them).
 */
export class FargateComputeEnvironment extends Resource implements IComputeEnvironment, ec2.IConnectable {
  /** Imports an existing Fargate compute environment. */
  public static fromComputeEnvironmentArn(scope: Construct, id: string, arn: string): IComputeEnvironment {
    return importComputeEnvironment(scope, id, arn, 'FARGATE');
  }

  /** @attribute */
  public readonly computeEnvironmentArn: string;
  /** @attribute */
  public readonly computeEnvironmentName: string;
  /** Always `FARGATE`. */
  public readonly platform = 'FARGATE' as const;
  /** Undefined: each Fargate job picks x86_64 or ARM64 in its runtime platform. */
  public readonly architecture = undefined;
  /** Whether the environment uses Fargate Spot. */
  public readonly spot: boolean;
  /** Security groups of the tasks. */
  public readonly connections: ec2.Connections;
  /** The service role; undefined means the service-linked role. */
  public readonly serviceRole?: iam.IRole;
  /** The environment in the Batch API's shape. */
  public readonly model: ComputeEnvironment;
  /** The L1 resource. */
  public readonly resource: batch.CfnComputeEnvironment;

  constructor(scope: Construct, id: string, props: FargateComputeEnvironmentProps) {
    super(scope, id);
    this.spot = props.spot ?? false;
    this.serviceRole = props.serviceRole;
    if (props.computeEnvironmentName !== undefined) {
      constructWarning(
        this,
        'BATCHKIT-CDK-W02',
        `computeEnvironmentName "${props.computeEnvironmentName}" is fixed: a ` +
          `change that replaces the environment will fail because the new one ` +
          `cannot take the name of the old. Leave the name out unless something outside the stack needs it.`,
      );
    }
    const securityGroups = props.securityGroups ?? [
      new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: 'AWS Batch Fargate jobs (batchkit)',
        allowAllOutbound: true,
      }),
    ];
    this.connections = new ec2.Connections({ securityGroups });
    const state = props.enabled === false ? 'DISABLED' : 'ENABLED';
    const computeResources = {
      type: this.spot ? ('FARGATE_SPOT' as const) : ('FARGATE' as const),
      maxvCpus: props.maxvCpus ?? 256,
      subnets: props.vpc.selectSubnets(props.vpcSubnets).subnetIds,
      securityGroupIds: securityGroups.map((sg) => sg.securityGroupId),
    };
    this.model = {
      computeEnvironmentName:
        props.computeEnvironmentName ?? unresolvedString(`name generated at deployment for ${this.node.path}`),
      type: 'MANAGED',
      state,
      serviceRole: props.serviceRole?.roleArn,
      computeResources,
    };
    checkWithRules(this, { computeEnvironments: [this.model] });
    this.resource = new batch.CfnComputeEnvironment(this, 'Resource', {
      type: 'MANAGED',
      computeEnvironmentName: props.computeEnvironmentName,
      state,
      serviceRole: props.serviceRole?.roleArn,
      computeResources,
    });
    this.computeEnvironmentArn = this.resource.attrComputeEnvironmentArn;
    this.computeEnvironmentName =
      props.computeEnvironmentName ??
      (Stack.of(this).splitArn(this.computeEnvironmentArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName as string);
  }
}
