/** ARNs of Batch resources as AWS forms them. */
import type { DeploymentEnvironment } from './batch-model';

/** Batch resource kinds that have ARNs. */
export type BatchArnResource = 'job-definition' | 'job-queue' | 'compute-environment' | 'scheduling-policy' | 'job';

/** `arn:<partition>:batch:<region>:<account>:<resource>/<name>`. */
export function batchArn(env: DeploymentEnvironment, resource: BatchArnResource, name: string): string {
  return `arn:${env.partition}:batch:${env.region}:${env.account}:${resource}/${name}`;
}

/** The parts of a Batch ARN, or undefined when the string is not one. */
export function parseBatchArn(
  arn: string,
): { partition: string; region: string; account: string; resource: BatchArnResource; name: string } | undefined {
  const m = new RegExp(
    String.raw`^arn:([^:]+):batch:([^:]*):([^:]*):(job-definition|job-queue` +
      String.raw`|compute-environment|scheduling-policy|job)\/(.+)$`,
  ).exec(arn);
  if (!m) return undefined;
  return { partition: m[1], region: m[2], account: m[3], resource: m[4] as BatchArnResource, name: m[5] };
}
