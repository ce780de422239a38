/**
 * The ECR part of `destroy`: the repositories of the app's docker image assets that batchkit
 * created for the stacks (tagged `batchkit:stack`), deleted with their images. A repository
 * without the tag (the CDK bootstrap's, anyone else's) is never deleted, only reported as skipped.
 * Like IAM, repositories are found by the app's names: a repository of an asset the app no longer
 * has is not looked at.
 */
import type { BatchModel } from '../../core/model/batch-model';
import type { ProvisionerClients } from '../clients/interfaces';
import { errorName } from '../clients/retry';
import { parseImageUri } from '../plan/image-desired';

/** Records (and unless dry run, does) one destroy step. */
export type DestroyStepFn = (action: string, resource: string, call?: () => Promise<unknown>) => Promise<void>;

/** The repository names of a model's docker image assets, each once, sorted. */
export function assetRepositories(model: BatchModel | undefined): string[] {
  return [...new Set((model?.dockerImageAssets ?? []).map((a) => parseImageUri(a.imageUri).repositoryName))].sort();
}

/** Deletes (force) each asset repository tagged for the stacks; the others go to `skipped`. */
export async function destroyRepositories(
  clients: ProvisionerClients,
  model: BatchModel | undefined,
  owned: (tags: Record<string, string> | undefined) => boolean,
  step: DestroyStepFn,
  skipped: string[],
): Promise<void> {
  const names = assetRepositories(model);
  if (names.length === 0) return;
  const ecr = clients.ecr;
  for (const name of names) {
    let repo;
    try {
      repo = (await ecr.describeRepositories({ repositoryNames: [name] })).repositories?.find(
        (r) => r.repositoryName === name,
      );
    } catch (e) {
      if (errorName(e) === 'RepositoryNotFoundException') continue;
      throw e;
    }
    if (!repo?.repositoryArn) continue;
    const tags = Object.fromEntries(
      ((await ecr.listTagsForResource({ resourceArn: repo.repositoryArn })).tags ?? []).map((t) => [
        t.Key ?? '',
        t.Value ?? '',
      ]),
    );
    if (!owned(tags)) {
      skipped.push(`EcrRepository ${name}`);
      continue;
    }
    await step('delete', `EcrRepository ${name}`, () => ecr.deleteRepository({ repositoryName: name, force: true }));
  }
}
