import { Match } from 'aws-cdk-lib/assertions';
import { SpotRetryStack } from '../../examples/spot-retry/stack';
import { itPassesTheCommonChecks, type SynthesizedExample, synthExample } from './_harness';

let ex: SynthesizedExample<SpotRetryStack>;
beforeAll(() => {
  ex = synthExample((app) => new SpotRetryStack(app, 'SpotRetry'));
});
afterAll(() => ex.cleanup());

describe('examples/spot-retry', () => {
  test('5 attempts: RETRY when the status reason starts with "Host EC2", EXIT on any exit code', () => {
    ex.template.hasResourceProperties('AWS::Batch::JobDefinition', {
      JobDefinitionName: 'spot-retry',
      RetryStrategy: {
        Attempts: 5,
        EvaluateOnExit: [
          { Action: 'RETRY', OnStatusReason: 'Host EC2*' },
          { Action: 'EXIT', OnExitCode: '*' },
        ],
      },
    });
    const jd = ex.model.jobDefinitions.find((j) => j.jobDefinitionName === 'spot-retry');
    expect(jd?.retryStrategy?.evaluateOnExit?.[0]).toEqual({ action: 'RETRY', onStatusReason: 'Host EC2*' });
  });

  test('the Spot environment lists four families with price-capacity-optimized allocation', () => {
    ex.template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: Match.objectLike({
        Type: 'SPOT',
        AllocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
        InstanceTypes: ['m6i', 'm5', 'c6i', 'r6i'],
        MaxvCpus: 128,
      }),
    });
  });

  itPassesTheCommonChecks(() => ex);
});
