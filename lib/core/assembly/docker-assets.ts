/**
 * Maps container images of job definitions back to the docker image assets the CDK publishes
 * them from, so the local executor can build them instead of pulling from ECR.
 */
import type { DeploymentEnvironment, DockerImageAssetModel } from '../model/batch-model';
import type { LoadedJobDefinition } from '../model/job-definition';
import { isUnresolved } from '../model/unresolved';
import type { DockerImageEntry } from './cloud-assembly';

/** Every `image` of a job definition (container, node ranges, ECS task containers). */
export function imagesOf(jd: LoadedJobDefinition): string[] {
  const images: string[] = [];
  const push = (v: unknown): void => {
    if (typeof v === 'string' && !isUnresolved(v)) images.push(v);
  };
  push(jd.containerProperties?.image);
  for (const range of jd.nodeProperties?.nodeRangeProperties ?? []) push(range.container?.image);
  const ecs = (jd as { ecsProperties?: { taskProperties?: Array<{ containers?: Array<{ image?: unknown }> }> } })
    .ecsProperties;
  for (const task of ecs?.taskProperties ?? []) for (const c of task.containers ?? []) push(c.image);
  return images;
}

function substitute(text: string, env: DeploymentEnvironment): string {
  return text
    .replace(/\$\{AWS::AccountId\}/g, env.account)
    .replace(/\$\{AWS::Region\}/g, env.region)
    .replace(/\$\{AWS::Partition\}/g, env.partition)
    .replace(/\$\{AWS::URLSuffix\}/g, env.urlSuffix);
}

/** The asset an image URI was published from, or undefined. */
export function assetForImage(
  imageUri: string,
  env: DeploymentEnvironment,
  entries: readonly DockerImageEntry[],
): DockerImageAssetModel | undefined {
  for (const e of entries) {
    for (const d of e.destinations) {
      if (!imageUri.endsWith(`/${substitute(d.repositoryName, env)}:${substitute(d.imageTag, env)}`)) continue;
      return {
        hash: e.hash,
        directory: e.directory,
        ...(e.dockerFile ? { dockerFile: e.dockerFile } : {}),
        ...(e.buildArgs ? { buildArgs: { ...e.buildArgs } } : {}),
        ...(e.target ? { target: e.target } : {}),
        ...(e.platform ? { platform: e.platform } : {}),
        imageUri,
        localTag: `batchkit-asset:${e.hash}`,
      };
    }
  }
  return undefined;
}
