/**
 * A managed compute environment of EC2 On-Demand or Spot instances that join an Amazon EKS cluster:
 * Batch runs the jobs of `EksJobDefinition`s as pods in one Kubernetes namespace.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/eks.html
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_EksConfiguration.html
 */
import { ArnFormat, Lazy, Names, Resource, Stack, Token } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as eks from 'aws-cdk-lib/aws-eks';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ComputeEnvironment, ComputeResource, Ec2Configuration } from '../../core/model/compute-environment';
import { unresolvedString } from '../../core/model/unresolved';
import { EcsInstanceRole } from '../iam/ecs-instance-role';
import { SpotFleetRole } from '../iam/spot-fleet-role';
import { importComputeEnvironment } from '../private/compute-common';
import { checkWithRules } from '../private/job-findings';
import { BatchLaunchTemplate } from './batch-launch-template';
import type { Architecture, ComputeEnvironmentProps, IComputeEnvironment } from './compute-environment-base';
import { AllocationStrategy } from './compute-options';
import { BatchInstanceType } from './instance-type';
import type { ManagedEc2CapacityProps } from './managed-ec2-capacity-props';

/**
 * The Amazon EKS-optimized AMI family Batch launches as cluster nodes.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_Ec2Configuration.html
 */
export enum EksImageType {
  /** Amazon Linux 2023, EKS-optimized (Batch's default for EKS environments). */
  EKS_AL2023 = 'EKS_AL2023',
  /** Amazon Linux 2023 with NVIDIA drivers, for GPU instances. */
  EKS_AL2023_NVIDIA = 'EKS_AL2023_NVIDIA',
  /** Amazon Linux 2. */
  EKS_AL2 = 'EKS_AL2',
  /** Amazon Linux 2 with NVIDIA drivers. */
  EKS_AL2_NVIDIA = 'EKS_AL2_NVIDIA',
}

/** One AMI choice of an EKS compute environment (`computeResources.ec2Configuration[]`). */
export interface EksComputeImage {
  /** The EKS-optimized AMI family; NVIDIA images are used for GPU instances. */
  readonly imageType: EksImageType;
  /**
   * An AMI that replaces the latest one of `imageType`.
   * @default - the latest AMI of `imageType`, chosen by Batch
   */
  readonly image?: ec2.IMachineImage;
  /**
   * Kubernetes version of the AMI (`imageKubernetesVersion`), e.g. `1.30`.
   * @default - the latest version Batch supports for the cluster
   */
  readonly kubernetesVersion?: string;
}

/** Props of {@link ManagedEc2EksComputeEnvironment}. */
export interface ManagedEc2EksComputeEnvironmentProps extends ComputeEnvironmentProps, ManagedEc2CapacityProps {
  /** The EKS cluster the instances join (`eksConfiguration.eksClusterArn`); it must exist before the environment. */
  readonly eksCluster: eks.ICluster;
  /**
   * The namespace Batch runs pods in (`eksConfiguration.kubernetesNamespace`): 1-63 lower-case letters, digits and
   * hyphens, not `default`, not `kube-*`. Create it, and the RBAC Batch needs, in the cluster first.
   */
  readonly kubernetesNamespace: string;
  /**
   * Role of the nodes. Nothing sane can be defaulted: the role needs the EKS worker node policies and must be
   * mapped in the cluster (aws-auth ConfigMap or an access entry) for the nodes to join. batchkit puts it in one
   * instance profile (reusing the profile it already made for the same role).
   */
  readonly instanceRole: iam.IRole;
  /**
   * Instance types, families and keywords; all of one architecture.
   * @default - [BatchInstanceType.OPTIMAL]
   */
  readonly instanceTypes?: BatchInstanceType[];
  /**
   * AMI choices (`ec2Configuration`).
   * @default - EKS_AL2023, plus EKS_AL2023_NVIDIA when a GPU instance family is listed
   */
  readonly images?: EksComputeImage[];
}

/**
 * A managed compute environment whose EC2 On-Demand or (with `spot`) Spot instances join an Amazon EKS
 * cluster (`eksConfiguration`). Queues of EKS environments run `EksJobDefinition` jobs only, and a queue cannot
 * mix EKS and ECS environments (`BATCH-X-001`). Renders to the core model and runs the same rules as
 * `batchkit validate` (`BATCH-CE-…`, `BATCH-EKS-001…004`). `vpc` is the cluster's VPC, and the security groups must
 * let the nodes reach the control plane (pass `eksCluster.clusterSecurityGroup` to use the cluster's own).
 */
export class ManagedEc2EksComputeEnvironment extends Resource implements IComputeEnvironment, ec2.IConnectable {
  /** Imports an existing EKS compute environment. */
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
  /** Always `EC2`: Batch on Amazon EKS runs on EC2 instances. */
  public readonly platform = 'EC2' as const;
  /** Whether the environment launches Spot instances. */
  public readonly spot: boolean;
  /** Security groups of the instances. */
  public readonly connections: ec2.Connections;
  /** The instance profile of the nodes. */
  public readonly instanceProfile: iam.IInstanceProfile;
  /** The Spot Fleet role (Spot only). */
  public readonly spotFleetRole?: iam.IRole;
  /** The L1 resource. */
  public readonly resource: batch.CfnComputeEnvironment;

  private readonly props: ManagedEc2EksComputeEnvironmentProps;
  private readonly types: BatchInstanceType[];
  private readonly subnetIds: string[];
  private readonly securityGroupIds: string[];
  private readonly name?: string;

  constructor(scope: Construct, id: string, props: ManagedEc2EksComputeEnvironmentProps) {
    super(scope, id);
    this.props = props;
    this.spot = props.spot ?? false;
    this.types = props.instanceTypes?.length ? [...props.instanceTypes] : [BatchInstanceType.OPTIMAL];
    this.spotFleetRole = this.spot ? (props.spotFleetRole ?? SpotFleetRole.forStack(this)) : undefined;
    this.instanceProfile = EcsInstanceRole.profileFor(this, 'InstanceProfile', props.instanceRole);
    const securityGroups = props.securityGroups ?? [
      new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: 'AWS Batch EKS compute environment nodes (batchkit)',
        allowAllOutbound: true,
      }),
    ];
    this.connections = new ec2.Connections({ securityGroups });
    this.securityGroupIds = securityGroups.map((sg) => sg.securityGroupId);
    this.subnetIds = props.vpc.selectSubnets(props.vpcSubnets).subnetIds;
    const lt = props.launchTemplate instanceof BatchLaunchTemplate ? props.launchTemplate : undefined;
    if (lt) {
      const base = props.computeEnvironmentName ?? Names.uniqueResourceName(this, { maxLength: 119, separator: '-' });
      this.name = Lazy.string({ produce: () => `${base}-${lt.contentHash}` });
    } else {
      this.name = props.computeEnvironmentName;
    }

    checkWithRules(this, { computeEnvironments: [this.model] });
    const model = this.model;
    this.resource = new batch.CfnComputeEnvironment(this, 'Resource', {
      type: 'MANAGED',
      computeEnvironmentName: this.name,
      state: model.state,
      serviceRole: model.serviceRole,
      replaceComputeEnvironment: model.replaceComputeEnvironment,
      updatePolicy: model.updatePolicy,
      eksConfiguration: model.eksConfiguration,
      computeResources: { ...this.computeResources(), updateToLatestImageVersion: props.updateToLatestImageVersion },
    });
    this.computeEnvironmentArn = this.resource.attrComputeEnvironmentArn;
    this.computeEnvironmentName =
      this.name && !Token.isUnresolved(this.name)
        ? this.name
        : (Stack.of(this).splitArn(this.computeEnvironmentArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName as string);
  }

  /** Architecture of the instances. */
  public get architecture(): Architecture {
    return this.types.find((t) => t.architecture)?.architecture ?? 'x86_64';
  }

  /** The environment in the Batch API's shape (names and ids may be CDK tokens). */
  public get model(): ComputeEnvironment {
    const p = this.props;
    const { terminateOnUpdate, updateTimeout } = p;
    return {
      computeEnvironmentName: this.name ?? unresolvedString(`name generated at deployment for ${this.node.path}`),
      type: 'MANAGED',
      state: p.enabled === false ? 'DISABLED' : 'ENABLED',
      serviceRole: p.serviceRole?.roleArn,
      replaceComputeEnvironment: p.replaceComputeEnvironment ?? p.serviceRole !== undefined,
      updatePolicy:
        terminateOnUpdate === undefined && updateTimeout === undefined
          ? undefined
          : { terminateJobsOnUpdate: terminateOnUpdate, jobExecutionTimeoutMinutes: updateTimeout?.toMinutes() },
      containerOrchestrationType: 'EKS',
      eksConfiguration: { eksClusterArn: p.eksCluster.clusterArn, kubernetesNamespace: p.kubernetesNamespace },
      computeResources: this.computeResources(),
    };
  }

  private computeResources(): ComputeResource {
    const p = this.props;
    const lt = p.launchTemplate;
    return {
      type: this.spot ? 'SPOT' : 'EC2',
      allocationStrategy:
        p.allocationStrategy ??
        (this.spot ? AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED : AllocationStrategy.BEST_FIT_PROGRESSIVE),
      minvCpus: p.minvCpus ?? 0,
      desiredvCpus: p.desiredvCpus,
      maxvCpus: p.maxvCpus ?? 256,
      instanceTypes: this.types.map((t) => t.name),
      subnets: this.subnetIds,
      securityGroupIds: this.securityGroupIds,
      instanceRole: this.instanceProfile.instanceProfileArn,
      placementGroup: p.placementGroup?.placementGroupName,
      bidPercentage: p.spotBidPercentage,
      spotIamFleetRole: this.spotFleetRole?.roleArn,
      launchTemplate: lt
        ? lt.launchTemplateId
          ? { launchTemplateId: lt.launchTemplateId, version: lt.versionNumber }
          : { launchTemplateName: lt.launchTemplateName, version: lt.versionNumber }
        : undefined,
      ec2Configuration: this.images(),
      tags: p.instanceTags,
    };
  }

  private images(): Ec2Configuration[] {
    const images: EksComputeImage[] = this.props.images ?? [
      { imageType: EksImageType.EKS_AL2023 },
      ...(this.types.some((t) => t.isGpu) ? [{ imageType: EksImageType.EKS_AL2023_NVIDIA }] : []),
    ];
    return images.map((i) => ({
      imageType: i.imageType,
      imageIdOverride: i.image?.getImage(this).imageId,
      imageKubernetesVersion: i.kubernetesVersion,
    }));
  }
}
