/**
 * Environment-agnostic stacks: pseudo parameters and docker image assets take the account and
 * region from options.environment, else DEFAULT_DEPLOYMENT_ENVIRONMENT.
 */
import * as path from 'path';
import { loadBatchModel } from '../../../lib/core/assembly';
import { DEFAULT_DEPLOYMENT_ENVIRONMENT } from '../../../lib/core/model/batch-model';
import { synthMinimalBatchApp, type SynthesizedAssembly } from '../../_helpers/aws-batch-stacks';

let assembly: SynthesizedAssembly;
beforeAll(() => {
  assembly = synthMinimalBatchApp({ stackName: 'AgnosticStack', withAssetImage: true });
});
afterAll(() => assembly.cleanup());

describe('environment-agnostic cloud assembly', () => {
  test('defaults to DEFAULT_DEPLOYMENT_ENVIRONMENT', () => {
    const model = loadBatchModel(assembly.outdir);
    expect(model.environment).toEqual(DEFAULT_DEPLOYMENT_ENVIRONMENT);
    expect(model.jobQueues[0].jobQueueArn).toMatch(
      new RegExp(
        String.raw`^arn:aws:batch:us-east-1:123456789012:job-queue\/Queue4A7E35` + String.raw`55-[0-9a-f]{12}$`,
      ),
    );
    const asset = model.dockerImageAssets[0];
    expect(asset.imageUri).toBe(
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/cdk-hnb659fds-container-assets-123456789012-us-east-1:` +
        `${asset.hash}`,
    );
  });

  test('options.environment supplies account, region and partition', () => {
    const model = loadBatchModel(assembly.outdir, {
      environment: { account: '999988887777', region: 'ap-southeast-2' },
    });
    expect(model.environment).toEqual({
      account: '999988887777',
      region: 'ap-southeast-2',
      partition: 'aws',
      urlSuffix: 'amazonaws.com',
    });
    const [plain, withAsset] = model.jobDefinitions;
    expect(plain.containerProperties).toMatchObject({ image: 'local/busybox:test', command: ['echo', 'hello'] });
    expect(plain.jobDefinitionArn).toMatch(
      new RegExp(
        String.raw`^arn:aws:batch:ap-southeast-2:999988887777:job-definition\/J` +
          String.raw`obDef[0-9A-F]{8}-[0-9a-f]{12}:1$`,
      ),
    );
    expect(plain.source?.constructPath).toBe('AgnosticStack/JobDef/Resource');
    const image = withAsset.containerProperties!.image!;
    expect(model.dockerImageAssets).toEqual([
      {
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        directory: expect.stringMatching(
          new RegExp(
            `^` +
              `${path.dirname(assembly.outdir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/cdk.out/asset\\.[0-9a-f]{64}$`,
          ),
        ),
        buildArgs: { GREETING: 'hi' },
        target: 'final',
        imageUri: image,
        localTag: `batchkit-asset:${model.dockerImageAssets[0].hash}`,
      },
    ]);
    expect(image).toMatch(
      new RegExp(
        String.raw`^999988887777\.dkr\.ecr\.ap-southeast-2\.amazonaws\.com\/cdk` +
          String.raw`-hnb659fds-container-assets-999988887777-ap-southeast-2:[0-9` +
          String.raw`a-f]{64}$`,
      ),
    );
  });
});
