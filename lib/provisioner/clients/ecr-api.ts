/**
 * The Amazon ECR operations batchkit calls to publish docker image assets, in the SDK's own
 * input/output shapes. The real implementation comes from `createClients()`.
 */
import type * as ecr from '@aws-sdk/client-ecr';

/** The Amazon ECR operations batchkit calls. */
export interface EcrApi {
  /** DescribeRepositories. */
  describeRepositories(input: ecr.DescribeRepositoriesCommandInput): Promise<ecr.DescribeRepositoriesCommandOutput>;
  /** CreateRepository. */
  createRepository(input: ecr.CreateRepositoryCommandInput): Promise<ecr.CreateRepositoryCommandOutput>;
  /** DeleteRepository (with `force`, its images too). */
  deleteRepository(input: ecr.DeleteRepositoryCommandInput): Promise<ecr.DeleteRepositoryCommandOutput>;
  /** DescribeImages (is a tag in a repository). */
  describeImages(input: ecr.DescribeImagesCommandInput): Promise<ecr.DescribeImagesCommandOutput>;
  /** GetAuthorizationToken (the registry's endpoint and a 12-hour `docker login` password). */
  getAuthorizationToken(input: ecr.GetAuthorizationTokenCommandInput): Promise<ecr.GetAuthorizationTokenCommandOutput>;
  /** ListTagsForResource (a repository's `batchkit:stack` tag). */
  listTagsForResource(input: ecr.ListTagsForResourceCommandInput): Promise<ecr.ListTagsForResourceCommandOutput>;
}
