/**
 * Shapes shared by several AWS Batch resources, named as in the AWS Batch API reference.
 * @see https://docs.aws.amazon.com/batch/latest/APIReference/API_Types.html
 */

/** Resource tags: key → value (Batch `TagrisTagsMap`). */
export type Tags = Record<string, string>;

/** A name/value pair (`KeyValuePair`), as used by `environment`. */
export interface KeyValuePair {
  /** The name of the key-value pair (for environment variables, the variable's name). */
  name?: string;
  /** The value of the key-value pair. */
  value?: string;
}

/** `state` of a job queue or compute environment. */
export type ResourceState = 'ENABLED' | 'DISABLED';
/** All values of {@link ResourceState}. */
export const RESOURCE_STATES: readonly ResourceState[] = ['ENABLED', 'DISABLED'];

/** `status` of a job queue or compute environment as DescribeJobQueues/DescribeComputeEnvironments report it. */
export type ResourceStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'DELETED' | 'VALID' | 'INVALID';

/** `platformCapabilities` values. */
export type PlatformCapability = 'EC2' | 'FARGATE';
/** All values of {@link PlatformCapability}. */
export const PLATFORM_CAPABILITIES: readonly PlatformCapability[] = ['EC2', 'FARGATE'];

/** Where a model object came from, so findings and errors can point at it. */
export interface SourceLocation {
  /** Stack artifact id (cloud assembly) or template file name. */
  readonly stack?: string;
  /** CloudFormation logical id of the resource. */
  readonly logicalId?: string;
  /** CDK construct path (`aws:cdk:path` metadata) when known. */
  readonly constructPath?: string;
  /** Template file the resource was read from. */
  readonly file?: string;
}
