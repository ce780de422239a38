/**
 * Helpers shared by batchkit's compute environment constructs: imports by ARN. Names and vCPUs are
 * checked by the core rules on the rendered model (`BATCH-CE-001`, `BATCH-CE-008`).
 */
import { ArnFormat, Resource, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Architecture, IComputeEnvironment } from '../compute/compute-environment-base';
import { constructError } from './job-findings';

/** Imports a compute environment by ARN. */
export function importComputeEnvironment(
  scope: Construct,
  id: string,
  arn: string,
  platform: 'EC2' | 'FARGATE',
  architecture?: Architecture,
): IComputeEnvironment {
  const name = Stack.of(scope).splitArn(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName;
  if (!name) {
    throw constructError(scope, 'BATCHKIT-CDK-001', `"${arn}" is not a compute environment ARN.`, {
      allowed: 'arn:<partition>:batch:<region>:<account>:compute-environment/<name>',
      fix: 'pass the full ARN of the compute environment.',
    });
  }
  class Import extends Resource implements IComputeEnvironment {
    public readonly computeEnvironmentArn = arn;
    public readonly computeEnvironmentName = name as string;
    public readonly platform = platform;
    public readonly architecture = architecture;
  }
  return new Import(scope, id, { environmentFromArn: arn });
}
