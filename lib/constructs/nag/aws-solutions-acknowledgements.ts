/**
 * Justified acknowledgements of the cdk-nag `AwsSolutions` findings that batchkit's own roles
 * raise by design. Written with aws-cdk-lib's `Validations` (the mechanism cdk-nag 3 reads), so
 * batchkit needs no run-time dependency on cdk-nag.
 */
import { Aspects, AspectPriority, Stack, Token, Validations, type IAspect } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { BatchServiceRole } from '../iam/batch-service-role';
import { EcsInstanceRole } from '../iam/ecs-instance-role';
import { JobExecutionRole } from '../iam/job-execution-role';
import { SpotFleetRole } from '../iam/spot-fleet-role';

/** The cdk-nag finding id of an AWS managed policy attached to a role (AwsSolutions-IAM4). */
function managedPolicyFinding(policyName: string): string {
  return `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policyName}]`;
}

/** The cdk-nag finding id of the execution role's log-stream wildcard (AwsSolutions-IAM5). */
function logStreamFinding(stack: Stack): string {
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/batch/job:*]`;
}

/** True when the role's default policy allows only `ecr:GetAuthorizationToken` on `Resource: "*"`. */
function onlyAuthorizationTokenOnStar(role: JobExecutionRole): boolean {
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (!(policy instanceof iam.Policy)) return false;
  const doc = Stack.of(role).resolve(policy.document) as {
    Statement?: Array<{ Action?: unknown; Resource?: unknown }>;
  };
  const onStar = (doc.Statement ?? []).filter((s) => ([] as unknown[]).concat(s.Resource).includes('*'));
  return (
    onStar.length > 0 &&
    onStar.every((s) => ([] as unknown[]).concat(s.Action).every((a) => a === 'ecr:GetAuthorizationToken'))
  );
}

/**
 * Acknowledges, on batchkit's role constructs only and finding by finding, what cdk-nag's
 * AwsSolutions pack reports about them although it is the documented set-up:
 * - `EcsInstanceRole`: the AWS managed policy `AmazonEC2ContainerServiceforEC2Role` (IAM4);
 * - `SpotFleetRole`: the AWS managed policy `AmazonEC2SpotFleetTaggingRole` (IAM4);
 * - `BatchServiceRole`: the AWS managed policy `AWSBatchServiceRole` (IAM4);
 * - `JobExecutionRole`: log streams of `/aws/batch/job` (`log-group:/aws/batch/job:*`, IAM5), and
 *   `Resource: "*"` when the only statement on it is `ecr:GetAuthorizationToken` (IAM5).
 * Any other finding on those roles (a grant you add, another wildcard) is still reported.
 */
export class BatchkitAwsSolutionsAcknowledgements implements IAspect {
  private static readonly applied = new WeakSet<Stack>();

  /** Adds the acknowledgements to a stack once, however many patterns ask for them. */
  public static addTo(scope: IConstruct): void {
    const stack = Stack.of(scope);
    if (BatchkitAwsSolutionsAcknowledgements.applied.has(stack)) return;
    BatchkitAwsSolutionsAcknowledgements.applied.add(stack);
    Aspects.of(stack).add(new BatchkitAwsSolutionsAcknowledgements(), { priority: AspectPriority.MUTATING });
  }

  /** Acknowledges the findings of one construct, when it is one of batchkit's roles. */
  public visit(node: IConstruct): void {
    if (node instanceof EcsInstanceRole) {
      Validations.of(node).acknowledge({
        id: managedPolicyFinding(EcsInstanceRole.MANAGED_POLICY_NAME),
        reason:
          'AWS Batch User Guide, "Amazon ECS instance role": container instances ' +
          'need AmazonEC2ContainerServiceforEC2Role to register with ECS, pull ' +
          'images and write logs; AWS maintains it as ECS changes.',
      });
    } else if (node instanceof SpotFleetRole) {
      Validations.of(node).acknowledge({
        id: managedPolicyFinding(SpotFleetRole.MANAGED_POLICY_NAME),
        reason:
          'AWS Batch User Guide, "Amazon EC2 spot fleet role": Spot compute ' +
          'environments need AmazonEC2SpotFleetTaggingRole so Spot Fleet can ' +
          'launch, tag and terminate instances for Batch.',
      });
    } else if (node instanceof BatchServiceRole) {
      Validations.of(node).acknowledge({
        id: managedPolicyFinding(BatchServiceRole.MANAGED_POLICY_NAME),
        reason:
          'AWS Batch User Guide, "AWS Batch service IAM role": a custom service ' +
          'role carries AWSBatchServiceRole, the permissions Batch needs to ' +
          'manage EC2, ECS and Auto Scaling for the account.',
      });
    } else if (node instanceof JobExecutionRole) {
      if (onlyAuthorizationTokenOnStar(node)) {
        Validations.of(node).acknowledge({
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'The only statement on Resource "*" is ecr:GetAuthorizationToken (added ' +
            'by repository.grantPull), which ECR supports on "*" only; image pulls ' +
            'themselves are limited to the repository.',
        });
      }
      Validations.of(node).acknowledge({
        id: logStreamFinding(Stack.of(node)),
        reason:
          'Log streams of the default Batch log group /aws/batch/job are created ' +
          'per job with generated names, so the policy must name the streams with ' +
          'log-group:/aws/batch/job:*; the grant is limited to that one log group.',
      });
    }
  }
}
