/**
 * The whole set of Batch resources read from a cloud assembly or template: what rules check,
 * what the local executor registers and what the provisioner plans.
 */
import type { SourceLocation, Tags } from './common';
import type { LoadedComputeEnvironment } from './compute-environment';
import type { LoadedJobDefinition } from './job-definition';
import type { LoadedJobQueue, LoadedSchedulingPolicy } from './job-queue';

/** Account, region and partition used to build ARNs. */
export interface DeploymentEnvironment {
  /** 12-digit account id. Default `123456789012`. */
  readonly account: string;
  /** Region. Default `us-east-1`. */
  readonly region: string;
  /** Partition. Default `aws`. */
  readonly partition: string;
  /** DNS suffix. Default `amazonaws.com`. */
  readonly urlSuffix: string;
}

/** The placeholder environment used when a stack is environment-agnostic. */
export const DEFAULT_DEPLOYMENT_ENVIRONMENT: DeploymentEnvironment = {
  account: '123456789012',
  region: 'us-east-1',
  partition: 'aws',
  urlSuffix: 'amazonaws.com',
};

/** The part of an EC2 launch template that Batch cares about. */
export interface LaunchTemplateModel {
  /** Name (`LaunchTemplateName`), when set. */
  readonly launchTemplateName?: string;
  /** Id the loader assigns (`lt-<hash>`), as AWS would. */
  readonly launchTemplateId: string;
  /** Latest version number: 1 for a freshly loaded template. */
  readonly latestVersionNumber: number;
  /** Base64 user data, when set. */
  readonly userData?: string;
  /** `MetadataOptions.HttpTokens`: `required` means IMDSv2 only (a token string when known only at deployment). */
  readonly httpTokens?: string;
  /** `BlockDeviceMappings`, in template order. */
  readonly blockDevices?: readonly BlockDeviceModel[];
  /** Tags. */
  readonly tags?: Tags;
  /** Origin. */
  readonly source?: SourceLocation;
}

/** A block device mapping of a launch template. */
export interface BlockDeviceModel {
  /** `DeviceName`. */
  readonly deviceName?: string;
  /** True for an EBS volume (`Ebs` set), false for instance store or `NoDevice`. */
  readonly ebs: boolean;
  /** `Ebs.Encrypted`; a string is a value known only at deployment (see `isUnresolved`). */
  readonly encrypted?: boolean | string;
  /** True when the volume is created from a snapshot (`Ebs.SnapshotId`). */
  readonly fromSnapshot?: boolean;
}

/** One statement of an IAM policy document, as far as the nag rules read it. */
export interface PolicyStatementModel {
  /** `Effect` (`Allow` or `Deny`). */
  readonly effect?: string;
  /** `Action`, the string entries. */
  readonly actions: readonly string[];
  /** `Resource`, the string entries (an ARN built with intrinsics is a token string or left out). */
  readonly resources: readonly string[];
}

/**
 * An IAM policy document of the template: of an `AWS::IAM::Policy`/`ManagedPolicy` or inline in an
 * `AWS::IAM::Role`.
 */
export interface IamPolicyModel {
  /** The CloudFormation type of the resource that holds the document. */
  readonly resourceType: 'AWS::IAM::Policy' | 'AWS::IAM::ManagedPolicy' | 'AWS::IAM::Role';
  /** Policy name (role name for inline policies), or the logical id when the template sets none. */
  readonly name: string;
  /** The property path of the document (`PolicyDocument`, `Policies[0].PolicyDocument`). */
  readonly field: string;
  /** Its statements, in order. */
  readonly statements: readonly PolicyStatementModel[];
  /** Origin. */
  readonly source?: SourceLocation;
}

/** A Docker image the CDK builds from a directory (a docker image asset). */
export interface DockerImageAssetModel {
  /** Asset hash (the asset manifest's key). */
  readonly hash: string;
  /** Absolute path of the build context. */
  readonly directory: string;
  /** Dockerfile path relative to the directory. Default `Dockerfile`. */
  readonly dockerFile?: string;
  /** Build arguments. */
  readonly buildArgs?: Record<string, string>;
  /** Build target stage. */
  readonly target?: string;
  /** Target platform (`linux/amd64`). */
  readonly platform?: string;
  /** The image URI the template refers to (`<account>.dkr.ecr.<region>.<suffix>/<repo>:<tag>`). */
  readonly imageUri: string;
  /** A local tag batchkit uses when it builds it: `batchkit-asset:<hash>`. */
  readonly localTag: string;
}

/** Where an IAM role of the template points, enough to check instance profiles and trust. */
export interface RoleModel {
  /** Role ARN as Batch would see it. */
  readonly arn: string;
  /** Role name. */
  readonly roleName: string;
  /** Services trusted by the role (`ecs-tasks.amazonaws.com`, ...). */
  readonly trustedServices: readonly string[];
  /** Managed policy ARNs attached. */
  readonly managedPolicyArns: readonly string[];
  /** Origin. */
  readonly source?: SourceLocation;
}

/** An instance profile and its roles. */
export interface InstanceProfileModel {
  /** ARN. */
  readonly arn: string;
  /** Name. */
  readonly instanceProfileName: string;
  /** Role names in the profile. */
  readonly roles: readonly string[];
  /** Origin. */
  readonly source?: SourceLocation;
}

/** A note from the loader about something it could not resolve or read fully. */
export interface LoaderNote {
  /** Where. */
  readonly source: SourceLocation;
  /** The property path (`Properties.ContainerProperties.Image`). */
  readonly field?: string;
  /** What happened. */
  readonly message: string;
  /**
   * What kind of gap the note reports, for front ends that show some notes prominently:
   * `nested-stack-not-loaded` (a nested stack's template was not found, its resources are missing
   * from the model) or `parameter-without-value` (a template parameter without default or value).
   * @default - another kind of note (a value known only at deployment)
   */
  readonly kind?: 'nested-stack-not-loaded' | 'parameter-without-value';
}

/** Everything batchkit knows about one application's Batch resources. */
export interface BatchModel {
  /** Account/region/partition used for ARNs. */
  readonly environment: DeploymentEnvironment;
  /** Job definitions. */
  readonly jobDefinitions: LoadedJobDefinition[];
  /** Job queues. */
  readonly jobQueues: LoadedJobQueue[];
  /** Compute environments. */
  readonly computeEnvironments: LoadedComputeEnvironment[];
  /** Scheduling policies. */
  readonly schedulingPolicies: LoadedSchedulingPolicy[];
  /** Launch templates referenced (or declared) in the templates. */
  readonly launchTemplates: LaunchTemplateModel[];
  /** Docker image assets, by the image URI that appears in job definitions. */
  readonly dockerImageAssets: DockerImageAssetModel[];
  /** IAM roles declared in the templates. */
  readonly roles: RoleModel[];
  /** Instance profiles declared in the templates. */
  readonly instanceProfiles: InstanceProfileModel[];
  /** IAM policy documents declared in the templates (for the nag rules). */
  readonly policies: IamPolicyModel[];
  /** What the loader could not resolve. */
  readonly notes: LoaderNote[];
}

/** An empty model, for tests and for `batchkit local serve` without an app. */
export function emptyBatchModel(environment: DeploymentEnvironment = DEFAULT_DEPLOYMENT_ENVIRONMENT): BatchModel {
  return {
    environment,
    jobDefinitions: [],
    jobQueues: [],
    computeEnvironments: [],
    schedulingPolicies: [],
    launchTemplates: [],
    dockerImageAssets: [],
    roles: [],
    instanceProfiles: [],
    policies: [],
    notes: [],
  };
}
