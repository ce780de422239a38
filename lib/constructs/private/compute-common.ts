/**
 * Helpers shared by batchkit's compute environment constructs: imports, name checks, vCPU checks.
 */
import { ArnFormat, Resource, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Architecture, IComputeEnvironment } from '../compute/compute-environment-base';
import { constructError } from './job-findings';

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

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
    throw constructError(scope, 'BATCHKIT-CE-002', `"${arn}" is not a compute environment ARN.`, {
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

/** Throws unless a known name matches Batch's naming rule. */
export function validateComputeEnvironmentName(scope: Construct, name: string | undefined, maxLength = 128): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  if (!NAME_PATTERN.test(name) || name.length > maxLength) {
    throw constructError(scope, 'BATCHKIT-CE-001', 'computeEnvironmentName is not a valid name.', {
      value: name,
      allowed: `1-${maxLength} letters, digits, hyphens and underscores`,
      fix: 'rename it, or leave computeEnvironmentName out to let CloudFormation generate one.',
    });
  }
}

/** Throws unless `0 <= min <= desired <= max` for the known values, all integers. */
export function validateVcpus(
  scope: Construct,
  v: { minvCpus?: number; desiredvCpus?: number; maxvCpus: number },
): void {
  const entries: Array<[string, number | undefined]> = [
    ['minvCpus', v.minvCpus],
    ['desiredvCpus', v.desiredvCpus],
    ['maxvCpus', v.maxvCpus],
  ];
  for (const [field, value] of entries) {
    if (value === undefined || Token.isUnresolved(value)) continue;
    if (!Number.isInteger(value) || value < 0) {
      throw constructError(scope, 'BATCHKIT-CE-003', `${field} must be a whole number of vCPUs, 0 or more.`, {
        value,
        allowed: 'integers >= 0',
        fix: `set ${field} to a whole number.`,
      });
    }
  }
  const known = entries.filter(([, value]) => value !== undefined && !Token.isUnresolved(value)) as Array<[string, number]>;
  for (let i = 1; i < known.length; i++) {
    const [loName, lo] = known[i - 1];
    const [hiName, hi] = known[i];
    if (lo > hi) {
      throw constructError(scope, 'BATCHKIT-CE-004', `${loName} (${lo}) is greater than ${hiName} (${hi}).`, {
        allowed: '0 <= minvCpus <= desiredvCpus <= maxvCpus',
        fix: `lower ${loName} or raise ${hiName}.`,
      });
    }
  }
}
