/**
 * Checks of a managed EC2/Spot compute environment's props that have no field in the Batch model:
 * a Spot Fleet role on an On-Demand environment (the model carries it only with Spot) and an
 * instance role given together with an instance profile. Everything the model can express
 * (architectures, images, Spot settings, vCPUs, security groups, update timeout) is checked by the
 * core rules on the rendered environment.
 */
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { constructError } from './job-findings';

/** Throws for prop combinations of a managed EC2/Spot environment that cannot be rendered. */
export function checkUnrenderable(
  scope: Construct,
  p: { spot: boolean; spotFleetRole?: iam.IRole; instanceRole?: iam.IRole; instanceProfile?: iam.IInstanceProfile },
): void {
  if (!p.spot && p.spotFleetRole !== undefined) {
    throw constructError(
      scope,
      'BATCHKIT-CDK-005',
      'spotFleetRole applies only to Spot environments, and spot is not set.',
      {
        fix: 'set spot: true, or remove spotFleetRole.',
      },
    );
  }
  if (p.instanceRole && p.instanceProfile) {
    throw constructError(scope, 'BATCHKIT-CDK-004', 'both instanceRole and instanceProfile are set.', {
      fix: 'pass instanceProfile (an existing profile) or instanceRole (batchkit makes one profile for it), not both.',
    });
  }
}
