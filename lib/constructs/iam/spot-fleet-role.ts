/**
 * The Amazon EC2 Spot Fleet role of SPOT compute environments.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/spot_fleet_IAM_role.html
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';

/** Props of {@link SpotFleetRole}: those of `iam.Role` except the principal. */
export interface SpotFleetRoleProps extends Omit<iam.RoleProps, 'assumedBy'> {}

/**
 * A role trusted by `spotfleet.amazonaws.com` with `service-role/AmazonEC2SpotFleetTaggingRole`,
 * the policy that also lets Spot Fleet tag the instances it launches (the older
 * `AmazonEC2SpotFleetRole` policy cannot, and aws-cdk-lib's default role has no policy at all).
 */
export class SpotFleetRole extends iam.Role {
  /** The AWS managed policy attached. */
  public static readonly MANAGED_POLICY_NAME = 'service-role/AmazonEC2SpotFleetTaggingRole';
  /** Construct id of the stack's shared role. Stable: changing it replaces the role. */
  public static readonly SHARED_ID = 'BatchSpotFleetRole';

  /**
   * The stack's shared Spot Fleet role, created on first use. SPOT compute environments without a
   * `spotFleetRole` use it, so a stack has one however many Spot environments it declares.
   */
  public static forStack(scope: IConstruct): iam.IRole {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(SpotFleetRole.SHARED_ID);
    if (existing) return existing as iam.IRole;
    return new SpotFleetRole(stack, SpotFleetRole.SHARED_ID, {
      description: 'Shared Spot Fleet role of the AWS Batch compute environments in this stack (batchkit)',
    });
  }

  constructor(scope: Construct, id: string, props: SpotFleetRoleProps = {}) {
    super(scope, id, {
      ...props,
      assumedBy: new iam.ServicePrincipal('spotfleet.amazonaws.com'),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName(SpotFleetRole.MANAGED_POLICY_NAME),
        ...(props.managedPolicies ?? []),
      ],
    });
  }
}
