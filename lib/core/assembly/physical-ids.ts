/**
 * What `Ref` and `Fn::GetAtt` return for a resource, as CloudFormation would after deployment.
 *
 * Names: the physical name property when the template sets it (`JobQueueName`, `RoleName`, ...);
 * otherwise a generated name, deterministic so that two loads of one template agree:
 * `<LogicalId>-<12 hex chars of sha256("<stack name>/<logical id>")>`, the logical id cut so the
 * whole name fits the resource's length limit (128 for Batch resources, 64 for IAM roles and
 * instance profiles). Ids (`lt-…`, `sg-…`, `subnet-…`, `vpc-…`, `fs-…`) are the prefix and 17 hex
 * chars of the same hash. Batch resources `Ref` to their ARN (job definitions with revision `:1`).
 */
import { createHash } from 'crypto';
import { batchArn, type BatchArnResource } from '../model/arn';
import type { DeploymentEnvironment } from '../model/batch-model';
import { isUnresolved, unresolvedString } from '../model/unresolved';
import type { Json } from './json';

/** The part of a stack's resolution context that naming needs. */
export interface NamingScope {
  /** Stack name (for generated names and `AWS::StackName`). */
  readonly stackName: string;
  /** Environment of the stack. */
  readonly env: DeploymentEnvironment;
  /** Resolved value of `Properties[key]` of a resource, or undefined when not set. */
  prop(logicalId: string, key: string): Json | undefined;
  /** Records that an attribute could not be known. */
  note(logicalId: string, message: string): void;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `<LogicalId>-<12 hex chars>`, at most `max` characters: the name CloudFormation-style generation gives. */
export function generatedName(stackName: string, logicalId: string, max = 128): string {
  const suffix = sha(`${stackName}/${logicalId}`).slice(0, 12);
  return `${logicalId.slice(0, Math.max(1, max - 13))}-${suffix}`;
}

/** Name of a nested stack: `<parent stack name>-<LogicalId>-<12 hex chars>`, at most 128 characters. */
export function nestedStackName(parentStackName: string, logicalId: string): string {
  return `${parentStackName}-${generatedName(parentStackName, logicalId)}`.slice(0, 128);
}

/** `<prefix>-<17 hex chars>`: an EC2/EFS-style id. */
export function generatedId(prefix: string, stackName: string, logicalId: string): string {
  return `${prefix}-${sha(`${stackName}/${logicalId}/${prefix}`).slice(0, 17)}`;
}

function asString(v: Json | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Physical name: the name property when set, else a generated one. */
function nameOf(scope: NamingScope, logicalId: string, key: string | undefined, max = 128): string {
  const set = key ? asString(scope.prop(logicalId, key)) : undefined;
  return set ?? generatedName(scope.stackName, logicalId, max);
}

const BATCH_TYPES: Record<string, { resource: BatchArnResource; nameKey: string; arnAttr: string; nameAttr?: string }> =
  {
    'AWS::Batch::JobDefinition': {
      resource: 'job-definition',
      nameKey: 'JobDefinitionName',
      arnAttr: 'JobDefinitionArn',
      nameAttr: 'JobDefinitionName',
    },
    'AWS::Batch::JobQueue': {
      resource: 'job-queue',
      nameKey: 'JobQueueName',
      arnAttr: 'JobQueueArn',
      nameAttr: 'JobQueueName',
    },
    'AWS::Batch::ComputeEnvironment': {
      resource: 'compute-environment',
      nameKey: 'ComputeEnvironmentName',
      arnAttr: 'ComputeEnvironmentArn',
      nameAttr: 'ComputeEnvironmentName',
    },
    'AWS::Batch::SchedulingPolicy': {
      resource: 'scheduling-policy',
      nameKey: 'Name',
      arnAttr: 'Arn',
      nameAttr: 'Name',
    },
  };

/** Name of a Batch resource (physical or generated). */
export function batchResourceName(scope: NamingScope, type: string, logicalId: string): string {
  const spec = BATCH_TYPES[type];
  return nameOf(scope, logicalId, spec?.nameKey);
}

/** ARN of a Batch resource; job definitions get revision 1. */
export function batchResourceArn(scope: NamingScope, type: string, logicalId: string): string {
  const spec = BATCH_TYPES[type];
  const arn = batchArn(scope.env, spec.resource, batchResourceName(scope, type, logicalId));
  return spec.resource === 'job-definition' ? `${arn}:1` : arn;
}

/** IAM role name: `RoleName` or a generated one within IAM's 64-char limit. */
export function roleName(scope: NamingScope, logicalId: string): string {
  return nameOf(scope, logicalId, 'RoleName', 64);
}

/** IAM role ARN. */
export function roleArn(scope: NamingScope, logicalId: string): string {
  return (
    `arn:${scope.env.partition}:iam::${scope.env.account}:role` +
    `${iamPath(scope, logicalId)}${roleName(scope, logicalId)}`
  );
}

/** Instance profile name. */
export function instanceProfileName(scope: NamingScope, logicalId: string): string {
  return nameOf(scope, logicalId, 'InstanceProfileName', 128);
}

/** Instance profile ARN. */
export function instanceProfileArn(scope: NamingScope, logicalId: string): string {
  return (
    `arn:${scope.env.partition}:iam::${scope.env.account}:instance-profile` +
    `${iamPath(scope, logicalId)}${instanceProfileName(scope, logicalId)}`
  );
}

function iamPath(scope: NamingScope, logicalId: string): string {
  const p = asString(scope.prop(logicalId, 'Path'));
  return p && p.startsWith('/') && p.endsWith('/') ? p : '/';
}

function regional(scope: NamingScope, service: string, rest: string): string {
  return `arn:${scope.env.partition}:${service}:${scope.env.region}:${scope.env.account}:${rest}`;
}

function secretArn(scope: NamingScope, logicalId: string): string {
  const name = nameOf(scope, logicalId, 'Name', 256);
  const suffix = sha(`${scope.stackName}/${logicalId}/secret`).slice(0, 6);
  return regional(scope, 'secretsmanager', `secret:${name}-${suffix}`);
}

/** What `{ "Ref": logicalId }` returns for a resource of `type`. */
export function refValue(scope: NamingScope, type: string, logicalId: string): string {
  if (BATCH_TYPES[type]) return batchResourceArn(scope, type, logicalId);
  switch (type) {
    case 'AWS::IAM::Role':
      return roleName(scope, logicalId);
    case 'AWS::IAM::InstanceProfile':
      return instanceProfileName(scope, logicalId);
    case 'AWS::IAM::ManagedPolicy':
      return (
        `arn:${scope.env.partition}:iam::${scope.env.account}:policy/` +
        `${nameOf(scope, logicalId, 'ManagedPolicyName')}`
      );
    case 'AWS::EC2::LaunchTemplate':
      return generatedId('lt', scope.stackName, logicalId);
    case 'AWS::EC2::SecurityGroup':
      return generatedId('sg', scope.stackName, logicalId);
    case 'AWS::EC2::Subnet':
      return generatedId('subnet', scope.stackName, logicalId);
    case 'AWS::EC2::VPC':
      return generatedId('vpc', scope.stackName, logicalId);
    case 'AWS::EC2::PlacementGroup':
      return nameOf(scope, logicalId, undefined);
    case 'AWS::EFS::FileSystem':
      return generatedId('fs', scope.stackName, logicalId);
    case 'AWS::EFS::AccessPoint':
      return generatedId('fsap', scope.stackName, logicalId);
    case 'AWS::SecretsManager::Secret':
      return secretArn(scope, logicalId);
    case 'AWS::SSM::Parameter':
      return nameOf(scope, logicalId, 'Name', 2048);
    case 'AWS::Logs::LogGroup':
      return nameOf(scope, logicalId, 'LogGroupName', 512);
    case 'AWS::ECS::Cluster':
      return nameOf(scope, logicalId, 'ClusterName', 255);
    case 'AWS::ECR::Repository':
      return nameOf(scope, logicalId, 'RepositoryName', 256).toLowerCase();
    case 'AWS::S3::Bucket':
      return nameOf(scope, logicalId, 'BucketName', 63).toLowerCase();
    case 'AWS::CloudFormation::Stack': {
      const name = nestedStackName(scope.stackName, logicalId);
      const h = sha(`stack/${name}`);
      return regional(
        scope,
        'cloudformation',
        `stack/${name}/${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-` +
          `${h.slice(16, 20)}-${h.slice(20, 32)}`,
      );
    }
    case 'AWS::SNS::Topic':
      return regional(scope, 'sns', nameOf(scope, logicalId, 'TopicName', 256));
    case 'AWS::SQS::Queue':
      return (
        `https://sqs.${scope.env.region}.${scope.env.urlSuffix}/` +
        `${scope.env.account}/${nameOf(scope, logicalId, 'QueueName', 80)}`
      );
    case 'AWS::StepFunctions::StateMachine':
      return regional(scope, 'states', `stateMachine:${nameOf(scope, logicalId, 'StateMachineName', 80)}`);
    case 'AWS::Lambda::Function':
      return nameOf(scope, logicalId, 'FunctionName', 64);
    case 'AWS::KMS::Key': {
      const h = sha(`${scope.stackName}/${logicalId}/kms`);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    }
    default:
      return generatedName(scope.stackName, logicalId);
  }
}

/**
 * What `{ "Fn::GetAtt": [logicalId, attribute] }` returns. Attributes batchkit cannot know come
 * back as an unresolved value and a loader note.
 */
export function getAttValue(scope: NamingScope, type: string, logicalId: string, attribute: string): Json {
  const batch = BATCH_TYPES[type];
  if (batch) {
    if (attribute === batch.arnAttr || attribute === 'Arn') return batchResourceArn(scope, type, logicalId);
    if (attribute === batch.nameAttr) return batchResourceName(scope, type, logicalId);
  }
  const env = scope.env;
  switch (`${type}.${attribute}`) {
    case 'AWS::IAM::Role.Arn':
      return roleArn(scope, logicalId);
    case 'AWS::IAM::Role.RoleId':
      return `AROA${sha(`${scope.stackName}/${logicalId}/role`).slice(0, 17).toUpperCase()}`;
    case 'AWS::IAM::InstanceProfile.Arn':
      return instanceProfileArn(scope, logicalId);
    case 'AWS::EC2::LaunchTemplate.LaunchTemplateId':
      return refValue(scope, type, logicalId);
    case 'AWS::EC2::LaunchTemplate.LatestVersionNumber':
    case 'AWS::EC2::LaunchTemplate.DefaultVersionNumber':
      return '1';
    case 'AWS::EC2::SecurityGroup.GroupId':
    case 'AWS::EC2::Subnet.SubnetId':
    case 'AWS::EC2::VPC.VpcId':
    case 'AWS::EFS::FileSystem.FileSystemId':
    case 'AWS::EFS::AccessPoint.AccessPointId':
    case 'AWS::SecretsManager::Secret.Id':
      return refValue(scope, type, logicalId);
    case 'AWS::EC2::SecurityGroup.VpcId':
    case 'AWS::EC2::Subnet.VpcId':
    case 'AWS::EC2::Subnet.AvailabilityZone':
    case 'AWS::EC2::VPC.CidrBlock':
    case 'AWS::SSM::Parameter.Value':
    case 'AWS::SSM::Parameter.Type': {
      const v = scope.prop(logicalId, attribute === 'AvailabilityZone' ? 'AvailabilityZone' : attribute);
      if (v !== undefined) return v;
      break;
    }
    case 'AWS::EC2::VPC.DefaultSecurityGroup':
      return generatedId('sg', scope.stackName, `${logicalId}/default`);
    case 'AWS::EFS::FileSystem.Arn':
      return regional(scope, 'elasticfilesystem', `file-system/${refValue(scope, type, logicalId)}`);
    case 'AWS::EFS::AccessPoint.Arn':
      return regional(scope, 'elasticfilesystem', `access-point/${refValue(scope, type, logicalId)}`);
    case 'AWS::Logs::LogGroup.Arn':
      return regional(scope, 'logs', `log-group:${refValue(scope, type, logicalId)}:*`);
    case 'AWS::ECS::Cluster.Arn':
      return regional(scope, 'ecs', `cluster/${refValue(scope, type, logicalId)}`);
    case 'AWS::ECR::Repository.Arn':
      return regional(scope, 'ecr', `repository/${refValue(scope, type, logicalId)}`);
    case 'AWS::ECR::Repository.RepositoryUri':
      return `${env.account}.dkr.ecr.${env.region}.${env.urlSuffix}/${refValue(scope, type, logicalId)}`;
    case 'AWS::S3::Bucket.Arn':
      return `arn:${env.partition}:s3:::${refValue(scope, type, logicalId)}`;
    case 'AWS::KMS::Key.Arn':
      return regional(scope, 'kms', `key/${refValue(scope, type, logicalId)}`);
    case 'AWS::KMS::Key.KeyId':
      return refValue(scope, type, logicalId);
    case 'AWS::Lambda::Function.Arn':
      return regional(scope, 'lambda', `function:${refValue(scope, type, logicalId)}`);
    case 'AWS::SQS::Queue.Arn':
      return regional(scope, 'sqs', nameOf(scope, logicalId, 'QueueName', 80));
    case 'AWS::SQS::Queue.QueueName':
      return nameOf(scope, logicalId, 'QueueName', 80);
    case 'AWS::SQS::Queue.QueueUrl':
    case 'AWS::SNS::Topic.TopicArn':
    case 'AWS::StepFunctions::StateMachine.Arn':
      return refValue(scope, type, logicalId);
    case 'AWS::StepFunctions::StateMachine.Name':
      return nameOf(scope, logicalId, 'StateMachineName', 80);
    default:
      break;
  }
  if (attribute === 'Arn') {
    const ref = refValue(scope, type, logicalId);
    if (ref.startsWith('arn:')) return ref;
    const [, service = 'unknown', kind = 'resource'] = type.split('::');
    return regional(scope, service.toLowerCase(), `${kind.toLowerCase()}/${ref}`);
  }
  scope.note(logicalId, `attribute ${attribute} of ${logicalId} (${type}) is known only after deployment`);
  return unresolvedString(`Fn::GetAtt ${logicalId}.${attribute}`);
}

/** True when a resolved value still holds something unknowable. */
export function containsUnresolved(v: Json): boolean {
  if (typeof v === 'string' || typeof v === 'number') return isUnresolved(v);
  if (Array.isArray(v)) return v.some(containsUnresolved);
  if (v && typeof v === 'object') return Object.values(v).some(containsUnresolved);
  return false;
}
