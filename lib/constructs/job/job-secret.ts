/**
 * Secrets exposed to a job's container as environment variables. Read access is granted to the
 * stack's shared execution role, which ECS uses to fetch them.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/specifying-sensitive-data.html
 */
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ssm from 'aws-cdk-lib/aws-ssm';

/** A Secrets Manager secret (optionally one JSON field of it) or an SSM parameter. */
export abstract class JobSecret {
  /**
   * A Secrets Manager secret; with `field`, one key of its JSON value (`<arn>:<field>::`).
   */
  public static fromSecretsManager(secret: secretsmanager.ISecret, field?: string): JobSecret {
    return new SecretsManagerSecret(secret, field);
  }

  /** An SSM parameter (String or SecureString). */
  public static fromSsmParameter(parameter: ssm.IParameter): JobSecret {
    return new SsmSecret(parameter);
  }

  /** `valueFrom` of the container's `secrets` entry. */
  public abstract readonly valueFrom: string;

  /** Grants read access (and decryption of SecureStrings / KMS-encrypted secrets where known). */
  public abstract grantRead(grantee: iam.IGrantable): void;
}

class SecretsManagerSecret extends JobSecret {
  public readonly valueFrom: string;
  constructor(
    private readonly secret: secretsmanager.ISecret,
    field?: string,
  ) {
    super();
    this.valueFrom = field === undefined ? secret.secretArn : `${secret.secretArn}:${field}::`;
  }
  public grantRead(grantee: iam.IGrantable): void {
    this.secret.grantRead(grantee);
  }
}

class SsmSecret extends JobSecret {
  public readonly valueFrom: string;
  constructor(private readonly parameter: ssm.IParameter) {
    super();
    this.valueFrom = parameter.parameterArn;
  }
  public grantRead(grantee: iam.IGrantable): void {
    this.parameter.grantRead(grantee);
  }
}
