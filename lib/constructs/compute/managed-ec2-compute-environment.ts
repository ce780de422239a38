/**
 * A managed compute environment of EC2 On-Demand or Spot instances.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/managed_compute_environments.html
 */
import { ArnFormat, Lazy, Names, Resource, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ComputeEnvironment, ComputeResource } from '../../core/model/compute-environment';
import { unresolvedString } from '../../core/model/unresolved';
import { EcsInstanceRole } from '../iam/ecs-instance-role';
import { SpotFleetRole } from '../iam/spot-fleet-role';
import { checkUnrenderable } from '../private/compute-ec2-checks';
import { importComputeEnvironment } from '../private/compute-common';
import { checkWithRules, constructWarning, validationMessages } from '../private/job-findings';
import { BatchLaunchTemplate } from './batch-launch-template';
import type { Architecture, ComputeEnvironmentProps, IComputeEnvironment } from './compute-environment-base';
import { AllocationStrategy, EcsImageType, type ComputeImage } from './compute-options';
import type { ManagedEc2CapacityProps } from './managed-ec2-capacity-props';
import { BatchInstanceType } from './instance-type';

/** Props of {@link ManagedEc2ComputeEnvironment}. */
export interface ManagedEc2ComputeEnvironmentProps extends ComputeEnvironmentProps, ManagedEc2CapacityProps {
  /**
   * Instance types, families and keywords; all of one architecture. More can be added with
   * `addInstanceType()`.
   * @default - [BatchInstanceType.OPTIMAL] when none is given here or added later
   */
  readonly instanceTypes?: BatchInstanceType[];
  /**
   * AMI choices (`ec2Configuration`).
   * @default - ECS_AL2023, plus ECS_AL2023_NVIDIA when a GPU instance family is listed
   */
  readonly images?: ComputeImage[];
  /**
   * Role of the instances; batchkit puts it in one instance profile (reusing the profile it already
   * made for the same role). Exclusive with `instanceProfile`.
   * @default - the stack's shared `EcsInstanceRole`
   */
  readonly instanceRole?: iam.IRole;
  /**
   * An existing instance profile for the instances. Exclusive with `instanceRole`.
   * @default - the stack's shared `EcsInstanceRole` profile
   */
  readonly instanceProfile?: iam.IInstanceProfile;
  /**
   * EC2 key pair for SSH access.
   * @default - none
   */
  readonly keyPair?: ec2.IKeyPair;
  /**
   * Also put tags applied with `Tags.of()` to this construct or its scopes into
   * `computeResources.tags`. Off by default: stack-wide tags would replace the environment
   * whenever one of them changes.
   * @default false
   */
  readonly propagateTags?: boolean;
}

/**
 * A managed compute environment of EC2 On-Demand or (with `spot`) Spot instances.
 *
 * Unlike aws-cdk-lib's `ManagedEc2EcsComputeEnvironment`: one instance profile per role (or yours),
 * a Spot Fleet role with `AmazonEC2SpotFleetTaggingRole`, AL2023 (+ NVIDIA for GPU) images, pinned
 * launch template versions with content-hash replacement, no silent `optimal`, and stack tags kept
 * out of the instance tags.
 */
export class ManagedEc2ComputeEnvironment extends Resource implements IComputeEnvironment, ec2.IConnectable {
  /** Imports an existing EC2/Spot compute environment. */
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
  /** Whether the environment launches Spot instances. */
  public readonly spot: boolean;
  /** Security groups of the instances. */
  public readonly connections: ec2.Connections;
  /** The service role; undefined means the service-linked role. */
  public readonly serviceRole?: iam.IRole;
  /** The instance profile of the instances. */
  public readonly instanceProfile: iam.IInstanceProfile;
  /** The instance role, when known (undefined for an imported profile without role). */
  public readonly instanceRole?: iam.IRole;
  /** The Spot Fleet role (Spot only). */
  public readonly spotFleetRole?: iam.IRole;
  /** Tags for `computeResources.tags`, present only with `propagateTags`. */
  public readonly tags?: TagManager;
  /** The L1 resource. */
  public readonly resource: batch.CfnComputeEnvironment;

  private readonly props: ManagedEc2ComputeEnvironmentProps;
  private readonly types: BatchInstanceType[];
  private readonly subnetIds: string[];
  private readonly allocationStrategy: AllocationStrategy;
  private readonly name?: string;

  constructor(scope: Construct, id: string, props: ManagedEc2ComputeEnvironmentProps) {
    super(scope, id);
    this.props = props;
    this.spot = props.spot ?? false;
    this.types = [...(props.instanceTypes ?? [])];
    this.serviceRole = props.serviceRole;
    const lt = props.launchTemplate instanceof BatchLaunchTemplate ? props.launchTemplate : undefined;
    checkUnrenderable(this, { ...props, spot: this.spot });
    this.warnAboutReplacement(props, lt);

    this.allocationStrategy =
      props.allocationStrategy ??
      (this.spot ? AllocationStrategy.SPOT_PRICE_CAPACITY_OPTIMIZED : AllocationStrategy.BEST_FIT_PROGRESSIVE);
    this.spotFleetRole = this.spot ? (props.spotFleetRole ?? SpotFleetRole.forStack(this)) : undefined;
    if (props.instanceProfile) {
      this.instanceProfile = props.instanceProfile;
      this.instanceRole = props.instanceProfile.role;
    } else if (props.instanceRole) {
      this.instanceRole = props.instanceRole;
      this.instanceProfile = EcsInstanceRole.profileFor(this, 'InstanceProfile', props.instanceRole);
    } else {
      const shared = EcsInstanceRole.forStack(this);
      this.instanceRole = shared.role;
      this.instanceProfile = shared.instanceProfile;
    }
    const securityGroups = props.securityGroups ?? [
      new ec2.SecurityGroup(this, 'SecurityGroup', {
        vpc: props.vpc,
        description: 'AWS Batch compute environment instances (batchkit)',
        allowAllOutbound: true,
      }),
    ];
    this.connections = new ec2.Connections({ securityGroups });
    this.subnetIds = props.vpc.selectSubnets(props.vpcSubnets).subnetIds;
    if (props.propagateTags) {
      this.tags = new TagManager(TagType.MAP, 'AWS::Batch::ComputeEnvironment', props.instanceTags);
    }
    if (lt) {
      const base = props.computeEnvironmentName ?? Names.uniqueResourceName(this, { maxLength: 119, separator: '-' });
      this.name = Lazy.string({ produce: () => `${base}-${lt.contentHash}` });
    } else {
      this.name = props.computeEnvironmentName;
    }

    checkWithRules(this, { computeEnvironments: [this.model] });
    const computeResources: batch.CfnComputeEnvironment.ComputeResourcesProperty = {
      ...this.renderComputeResources(securityGroups),
      instanceTypes: Lazy.list({ produce: () => this.renderedTypes().map((t) => t.name) }),
      ec2Configuration: Lazy.any({ produce: () => this.renderImages() }),
      tags: props.instanceTags,
      updateToLatestImageVersion: props.updateToLatestImageVersion,
    };
    const tags = this.tags;
    this.resource = new batch.CfnComputeEnvironment(this, 'Resource', {
      type: 'MANAGED',
      computeEnvironmentName: this.name,
      state: props.enabled === false ? 'DISABLED' : 'ENABLED',
      serviceRole: props.serviceRole?.roleArn,
      replaceComputeEnvironment: props.replaceComputeEnvironment ?? props.serviceRole !== undefined,
      updatePolicy: this.renderUpdatePolicy(),
      computeResources: tags
        ? Lazy.any({ produce: () => ({ ...computeResources, tags: tags.renderTags() }) })
        : computeResources,
    });
    this.computeEnvironmentArn = this.resource.attrComputeEnvironmentArn;
    this.computeEnvironmentName =
      this.name && !Token.isUnresolved(this.name)
        ? this.name
        : (Stack.of(this).splitArn(this.computeEnvironmentArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName as string);
    if (props.launchTemplate instanceof ec2.LaunchTemplate) this.validateForeignUserData(props.launchTemplate);
  }

  /** Architecture of the instances. */
  public get architecture(): Architecture {
    return this.renderedTypes().find((t) => t.architecture)?.architecture ?? 'x86_64';
  }

  /** The environment in the Batch API's shape (names and ids may be CDK tokens). */
  public get model(): ComputeEnvironment {
    return {
      computeEnvironmentName: this.modelName(),
      type: 'MANAGED',
      state: this.props.enabled === false ? 'DISABLED' : 'ENABLED',
      serviceRole: this.props.serviceRole?.roleArn,
      replaceComputeEnvironment: this.props.replaceComputeEnvironment ?? this.props.serviceRole !== undefined,
      updatePolicy: this.renderUpdatePolicy(),
      computeResources: {
        ...this.renderComputeResources(this.connections.securityGroups),
        instanceTypes: this.renderedTypes().map((t) => t.name),
        ec2Configuration: this.renderImages(),
        tags: this.props.instanceTags,
      },
    };
  }

  /**
   * Adds an instance type; throws (with the core rule's code) when the environment would break a
   * rule, e.g. mix x86_64 and ARM (`BATCH-CE-014`), and then leaves the environment unchanged.
   */
  public addInstanceType(instanceType: BatchInstanceType): void {
    this.types.push(instanceType);
    try {
      checkWithRules(this, { computeEnvironments: [this.model] });
    } catch (e) {
      this.types.pop();
      throw e;
    }
  }

  /**
   * The name as the rules see it: the given name, with the launch template's content hash when the
   * environment uses a `BatchLaunchTemplate` (so the 128-character limit counts the suffix).
   */
  private modelName(): string {
    const given = this.props.computeEnvironmentName;
    const lt = this.props.launchTemplate instanceof BatchLaunchTemplate ? this.props.launchTemplate : undefined;
    if (given !== undefined && !Token.isUnresolved(given)) return lt ? `${given}-${lt.contentHash}` : given;
    return this.name ?? unresolvedString(`name generated at deployment for ${this.node.path}`);
  }

  /** The instance types as rendered: the given ones, or `optimal` when none. */
  private renderedTypes(): BatchInstanceType[] {
    return this.types.length ? this.types : [BatchInstanceType.OPTIMAL];
  }

  private renderImages(): Array<{ imageType: string; imageIdOverride?: string }> {
    const images: ComputeImage[] = this.props.images ?? [
      { imageType: EcsImageType.ECS_AL2023 },
      ...(this.renderedTypes().some((t) => t.isGpu) ? [{ imageType: EcsImageType.ECS_AL2023_NVIDIA }] : []),
    ];
    return images.map((i) => ({ imageType: i.imageType, imageIdOverride: i.image?.getImage(this).imageId }));
  }

  private renderUpdatePolicy(): { terminateJobsOnUpdate?: boolean; jobExecutionTimeoutMinutes?: number } | undefined {
    const { terminateOnUpdate, updateTimeout } = this.props;
    if (terminateOnUpdate === undefined && updateTimeout === undefined) return undefined;
    return {
      terminateJobsOnUpdate: terminateOnUpdate,
      jobExecutionTimeoutMinutes: updateTimeout?.toMinutes({ integral: false }),
    };
  }

  private renderComputeResources(securityGroups: ec2.ISecurityGroup[]): ComputeResource {
    const p = this.props;
    const lt = p.launchTemplate;
    return {
      type: this.spot ? 'SPOT' : 'EC2',
      allocationStrategy: this.allocationStrategy,
      minvCpus: p.minvCpus ?? 0,
      desiredvCpus: p.desiredvCpus,
      maxvCpus: p.maxvCpus ?? 256,
      subnets: this.subnetIds,
      securityGroupIds: securityGroups.map((sg) => sg.securityGroupId),
      instanceRole: this.instanceProfile.instanceProfileArn,
      ec2KeyPair: p.keyPair?.keyPairName,
      placementGroup: p.placementGroup?.placementGroupName,
      bidPercentage: p.spotBidPercentage,
      spotIamFleetRole: this.spotFleetRole?.roleArn,
      launchTemplate: lt
        ? lt.launchTemplateId
          ? { launchTemplateId: lt.launchTemplateId, version: lt.versionNumber }
          : { launchTemplateName: lt.launchTemplateName, version: lt.versionNumber }
        : undefined,
    };
  }

  private warnAboutReplacement(p: ManagedEc2ComputeEnvironmentProps, lt: BatchLaunchTemplate | undefined): void {
    if (p.serviceRole && p.replaceComputeEnvironment === false) {
      constructWarning(
        this,
        'BATCHKIT-CDK-W01',
        'replaceComputeEnvironment is false with a custom serviceRole: Batch ' +
          'can update an environment in place only with the service-linked role, ' +
          'so updates that need new instances will fail. Remove serviceRole (use ' +
          'the service-linked role) or replaceComputeEnvironment: false.',
      );
    }
    if (p.computeEnvironmentName !== undefined && !lt) {
      constructWarning(
        this,
        'BATCHKIT-CDK-W02',
        `computeEnvironmentName "${p.computeEnvironmentName}" is fixed: a ` +
          `change that replaces the environment will fail because the new one ` +
          `cannot take the name of the old. Leave the name out unless something outside the stack needs it.`,
      );
    }
    if (p.launchTemplate && !lt) {
      constructWarning(
        this,
        'BATCHKIT-CDK-W03',
        'the launch template is not a BatchLaunchTemplate: Batch keeps the ' +
          'version it saw at creation, so later template changes never reach the ' +
          'instances. Use BatchLaunchTemplate, which replaces the environment when the template changes.',
      );
    }
  }

  /**
   * A plain `ec2.LaunchTemplate`'s user data is known only at synth (it can still be added to): the
   * core's `BATCH-LT-004` runs then, over this environment and the template's rendered user data.
   */
  private validateForeignUserData(lt: ec2.LaunchTemplate): void {
    this.node.addValidation({
      validate: () => {
        const text = lt.userData?.render();
        if (text === undefined) return [];
        // The template's id is a token until deployment: pair the two by an id of the construct's own.
        const launchTemplateId = `lt-${lt.node.addr.slice(0, 17)}`;
        const resources: ComputeResource = {
          ...this.renderComputeResources(this.connections.securityGroups),
          launchTemplate: { launchTemplateId },
        };
        const ce: ComputeEnvironment = { ...this.model, computeResources: resources };
        const launchTemplate = {
          launchTemplateId,
          latestVersionNumber: 1,
          userData: Buffer.from(text, 'utf8').toString('base64'),
          source: { constructPath: lt.node.path },
        };
        const part = { computeEnvironments: [ce], launchTemplates: [launchTemplate] };
        return validationMessages(this, part, ['BATCH-LT-004']);
      },
    });
  }
}
