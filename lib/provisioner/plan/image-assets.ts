/**
 * Docker image assets in the plan. Each asset a planned job definition uses becomes an
 * `ImageAsset` resource: its image URI names the ECR repository (with the CDK's default
 * synthesizer, the bootstrap's container-assets repository) and the tag is the asset hash. It is
 * observed with DescribeRepositories and DescribeImages and planned as `create` (no repository:
 * create it, then push), `update` (the tag is not in the repository: push) or `no-op` (pushed).
 * Job definitions refer to it as `ref(ImageAsset:<hash>)`, so they register after the push with
 * the pushed URI, and an already registered revision with that URI compares equal.
 */
import type { ProvisionerClients } from '../clients/interfaces';
import { errorName } from '../clients/retry';
import { STACK_TAG, type DesiredImageAsset, type DesiredState } from './desired';
import type { ObservedResource } from './observe';
import type { PlanAction } from './plan';

/** What DescribeRepositories and DescribeImages say about one asset (`detail` of its {@link ObservedResource}). */
export interface ObservedImageDetail {
  /** The repository's URI (`<registry>/<name>`). */
  readonly repositoryUri: string;
  /** True when the tag is in the repository. */
  readonly pushed: boolean;
}

async function describeRepository(clients: ProvisionerClients, name: string) {
  try {
    return (await clients.ecr.describeRepositories({ repositoryNames: [name] })).repositories?.find(
      (r) => r.repositoryName === name,
    );
  } catch (e) {
    if (errorName(e) === 'RepositoryNotFoundException') return undefined;
    throw e;
  }
}

async function hasTag(clients: ProvisionerClients, repositoryName: string, tag: string): Promise<boolean> {
  try {
    const images =
      (await clients.ecr.describeImages({ repositoryName, imageIds: [{ imageTag: tag }] })).imageDetails ?? [];
    return images.some((i) => (i.imageTags ?? []).includes(tag));
  } catch (e) {
    if (errorName(e) === 'ImageNotFoundException') return false;
    throw e;
  }
}

/**
 * Looks up the repositories and tags of the desired image assets (one DescribeRepositories per
 * repository). An asset whose repository exists is observed with `arn` set to the URI it has (or
 * gets) there, `<repositoryUri>:<hash>`, so a job definition registered with it maps back to it.
 */
export async function observeImageAssets(
  clients: ProvisionerClients,
  desired: DesiredState,
): Promise<Map<string, ObservedResource>> {
  const out = new Map<string, ObservedResource>();
  const repositories = new Map<string, Awaited<ReturnType<typeof describeRepository>>>();
  for (const r of desired.resources) {
    if (r.kind !== 'ImageAsset') continue;
    if (!repositories.has(r.repositoryName))
      repositories.set(r.repositoryName, await describeRepository(clients, r.repositoryName));
    const repo = repositories.get(r.repositoryName);
    if (!repo?.repositoryUri) continue;
    const detail: ObservedImageDetail = {
      repositoryUri: repo.repositoryUri,
      pushed: await hasTag(clients, r.repositoryName, r.tag),
    };
    out.set(r.key, { key: r.key, name: r.name, arn: `${repo.repositoryUri}:${r.tag}`, detail: { ...detail } });
  }
  return out;
}

/**
 * The action of one image asset. A missing repository is created by the first asset that needs
 * it; later assets for the same repository push after that one (`update`, depending on it).
 */
export function planImageAsset(
  r: DesiredImageAsset,
  o: ObservedResource | undefined,
  earlier: readonly PlanAction[],
): PlanAction {
  const base = { key: r.key, kind: r.kind, name: r.name, stack: r.stack, desired: r };
  const push = `builds ${r.asset.directory} (${r.asset.dockerFile ?? 'Dockerfile'}) and pushes tag ${r.tag}`;
  if (!o) {
    const creator = earlier.find(
      (a) => a.action === 'create' && a.desired?.kind === 'ImageAsset' && a.desired.repositoryName === r.repositoryName,
    );
    if (creator)
      return {
        ...base,
        action: 'update',
        dependsOn: [creator.key],
        reasons: [`repository ${r.repositoryName} is created by ${creator.key}; ${push}`],
        changes: [],
      };
    return {
      ...base,
      action: 'create',
      dependsOn: r.dependsOn,
      reasons: [
        `repository ${r.repositoryName} does not exist: creates it (scan on ` +
          `push, tagged ${STACK_TAG}=${r.stack}), ${push}`,
      ],
      changes: [],
    };
  }
  const existing = { name: o.name, ...(o.arn ? { arn: o.arn } : {}) };
  if (o.detail.pushed === true) {
    return { ...base, action: 'no-op', dependsOn: r.dependsOn, reasons: [], changes: [], existing };
  }
  return {
    ...base,
    action: 'update',
    dependsOn: r.dependsOn,
    reasons: [`tag ${r.tag} is not in repository ${r.repositoryName}: ${push}`],
    changes: [{ field: 'imageTag', to: r.tag }],
    existing,
  };
}
