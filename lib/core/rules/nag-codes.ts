/**
 * batchkit's nag rule pack: codes, severities and descriptions. The checks run as `batchkit validate`
 * rules over the model ({@link NAG_RULES} in `nag.ts`) and as the CDK aspect `BatchkitNagChecks`
 * over L1 resources; both call the same check functions (`nag-*.ts`).
 */

/**
 * The stable codes of batchkit's nag rules. Acknowledge one in a CDK app with
 * `Validations.of(scope).acknowledge({ id, reason })`.
 */
export enum BatchkitNagRule {
  /** A launch template used by a Batch compute environment must require IMDSv2 (`HttpTokens: required`). Error. */
  IMDSV2_REQUIRED = 'BATCHKIT-NAG-001',
  /** EBS volumes in the block device mappings of a Batch launch template must be encrypted. Error. */
  EBS_ENCRYPTED = 'BATCHKIT-NAG-002',
  /** A job definition must not carry a secret-looking environment variable as plain text. Error. */
  PLAINTEXT_SECRET = 'BATCHKIT-NAG-003',
  /** A job definition container runs `privileged`. Warning. */
  PRIVILEGED = 'BATCHKIT-NAG-004',
  /** A Fargate job definition assigns a public IP address. Warning. */
  PUBLIC_IP = 'BATCHKIT-NAG-005',
  /** An IAM policy allows Batch, ECS, IAM PassRole, secret or key actions on `Resource: "*"`. Warning. */
  WILDCARD_RESOURCE = 'BATCHKIT-NAG-006',
}

/** How a rule reports: errors fail `cdk synth` and `batchkit validate`, warnings are shown. */
export type NagSeverity = 'error' | 'warning';

/** A rule of the pack: code, severity, one-line description. */
export interface BatchkitNagRuleInfo {
  /** Stable code. */
  readonly code: BatchkitNagRule;
  /** error or warning. */
  readonly severity: NagSeverity;
  /** What the rule checks and why. */
  readonly description: string;
}

/** The rules of the pack, in code order. */
export const BATCHKIT_NAG_RULES: readonly BatchkitNagRuleInfo[] = [
  {
    code: BatchkitNagRule.IMDSV2_REQUIRED,
    severity: 'error',
    description:
      'Launch templates of Batch compute environments require IMDSv2 (MetadataOptions.HttpTokens: required), ' +
      'so SSRF bugs in jobs cannot read instance credentials with IMDSv1.',
  },
  {
    code: BatchkitNagRule.EBS_ENCRYPTED,
    severity: 'error',
    description:
      'EBS volumes declared in launch templates of Batch compute environments are encrypted (Ebs.Encrypted: true).',
  },
  {
    code: BatchkitNagRule.PLAINTEXT_SECRET,
    severity: 'error',
    description:
      'Job definition environment variables whose names look like secrets (PASSWORD, SECRET, TOKEN, API_KEY, ' +
      'ACCESS_KEY, PRIVATE_KEY, CREDENTIAL) carry no plain-text value: use `secrets` (Secrets Manager / SSM ' +
      'Parameter Store) instead.',
  },
  {
    code: BatchkitNagRule.PRIVILEGED,
    severity: 'warning',
    description: 'Job definition containers run unprivileged: a privileged container has root on the host.',
  },
  {
    code: BatchkitNagRule.PUBLIC_IP,
    severity: 'warning',
    description:
      'Fargate job definitions do not assign public IP addresses (NetworkConfiguration.AssignPublicIp: ENABLED); ' +
      'run them in private subnets with a NAT gateway or VPC endpoints.',
  },
  {
    code: BatchkitNagRule.WILDCARD_RESOURCE,
    severity: 'warning',
    description:
      'IAM policies scope Batch, ECS, iam:PassRole, Secrets Manager, SSM parameter and KMS actions to resource ' +
      'ARNs instead of Resource: "*".',
  },
];

/** The info of one rule. */
export function nagRuleInfo(code: BatchkitNagRule): BatchkitNagRuleInfo {
  const info = BATCHKIT_NAG_RULES.find((r) => r.code === code);
  /* istanbul ignore next: every enum member is in the table (tested) */
  if (!info) throw new Error(`unknown batchkit nag rule ${code}`);
  return info;
}

/** One violation of a nag rule on one resource, before it becomes a finding or an annotation. */
export interface NagHit {
  /** The rule. */
  readonly rule: BatchkitNagRule;
  /**
   * The field: an API path for job definitions (`containerProperties.environment[2]`), a CloudFormation
   * property path for launch templates and IAM policies (`LaunchTemplateData.MetadataOptions.HttpTokens`).
   */
  readonly field: string;
  /** What is wrong, one sentence. */
  readonly problem: string;
  /** The bad value, when showing it is safe (never a secret's value). */
  readonly value?: string;
  /** How to fix it. */
  readonly fix: string;
}
