/**
 * Pieces the L3 patterns share: the default VPC, the default launch template and the outputs a
 * submitting application reads. Not exported from the public barrel.
 */
import { CfnOutput, Size, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { BatchLaunchTemplate } from '../compute/batch-launch-template';
import { BatchVpc } from '../network/batch-vpc';
import { JobRole } from '../iam/job-role';
import { JobExecutionRole } from '../iam/job-execution-role';
import { constructError } from '../private/job-findings';

/** The pattern's VPC: the given one, or a new `BatchVpc` (2 AZs, 1 NAT gateway, flow logs). */
export function patternVpc(scope: Construct, vpc: ec2.IVpc | undefined): ec2.IVpc {
  return vpc ?? new BatchVpc(scope, 'Vpc', { maxAzs: 2, natGateways: 1 });
}

/** The default launch template: IMDSv2 required, hop limit 2, encrypted gp3 root volume. */
export function patternLaunchTemplate(scope: Construct, rootVolumeSize: Size | undefined): BatchLaunchTemplate {
  return new BatchLaunchTemplate(scope, 'LaunchTemplate', {
    blockDevices: [{ deviceName: '/dev/xvda', volumeSize: rootVolumeSize ?? Size.gibibytes(30), encrypted: true }],
  });
}

/** The roles every pattern hands to its users. */
export interface PatternRoles {
  /** The execution role (pull images, read secrets, write logs): the stack's shared one. */
  readonly executionRole: iam.IRole;
  /** A job role without permissions, for the jobs' own AWS calls (grant to it). */
  readonly jobRole: iam.IRole;
}

/** The stack's shared execution role and a new, empty job role. */
export function patternRoles(scope: Construct, jobRole: iam.IRole | undefined): PatternRoles {
  return {
    executionRole: JobExecutionRole.forStack(scope),
    jobRole: jobRole ?? new JobRole(scope, 'JobRole', { description: 'Role the jobs of this Batch environment assume (batchkit)' }),
  };
}

/** Adds `CfnOutput`s under a `Outputs` child so their logical ids are stable and readable. */
export function addOutputs(scope: Construct, values: Record<string, { value: string; description: string }>): void {
  const outputs = new Construct(scope, 'Outputs');
  for (const [id, { value, description }] of Object.entries(values)) {
    new CfnOutput(outputs, id, { value, description });
  }
}

/** Queue priorities: whole numbers 0-1000, high above low (Batch schedules higher first). */
export function checkPriorities(scope: Construct, high: number, low: number): void {
  for (const [name, v] of [['highPriority', high], ['lowPriority', low]] as const) {
    if (!Token.isUnresolved(v) && (!Number.isInteger(v) || v < 0 || v > 1000)) {
      throw constructError(scope, 'BATCHKIT-PAT-001', `${name} is not a valid job queue priority.`, {
        value: v,
        allowed: 'whole numbers 0-1000 (higher is scheduled first)',
        fix: `set ${name} to a whole number between 0 and 1000.`,
      });
    }
  }
  if (!Token.isUnresolved(high) && !Token.isUnresolved(low) && high <= low) {
    throw constructError(scope, 'BATCHKIT-PAT-002', `highPriority (${high}) is not above lowPriority (${low}).`, {
      value: `${high} <= ${low}`,
      allowed: 'highPriority > lowPriority',
      fix: 'swap the values, or raise highPriority.',
    });
  }
}
