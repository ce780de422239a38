import { Match } from 'aws-cdk-lib/assertions';
import { ArrayCompletionStack } from '../../examples/array-completion/stack';
import { loadAppModel } from '../../lib/core';
import { itPassesTheCommonChecks, type SynthesizedExample, synthExample } from './_harness';

let ex: SynthesizedExample<ArrayCompletionStack>;
beforeAll(() => {
  ex = synthExample((app) => new ArrayCompletionStack(app, 'ArrayCompletion'));
});
afterAll(() => ex.cleanup());

describe('examples/array-completion (seed 003)', () => {
  test("the rule matches only the parent's final state: SUCCEEDED/FAILED, no container instance, an array size", () => {
    ex.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.batch'],
        'detail-type': ['Batch Job State Change'],
        detail: Match.objectLike({
          status: ['SUCCEEDED', 'FAILED'],
          container: { containerInstanceArn: [{ exists: false }] },
          arrayProperties: { size: [{ exists: true }] },
        }),
      },
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
  });

  test('the loader reads the rule, its Lambda target and the function code directory', () => {
    const app = loadAppModel(ex.outdir);
    expect(app.rules).toHaveLength(1);
    const [rule] = app.rules;
    const fn = app.functions.find((f) => f.logicalId.startsWith('Notifier'));
    expect(fn).toMatchObject({
      runtime: 'nodejs24.x',
      handler: 'index.handler',
      timeoutSeconds: 10,
      memoryMiB: 128,
      code: { kind: 'directory' },
    });
    expect(rule.targets).toEqual([
      expect.objectContaining({ kind: 'lambda', arn: fn!.arn, logicalId: fn!.logicalId, maximumRetryAttempts: 2 }),
    ]);
    expect(fn!.arn).toMatch(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:/);
    expect(rule.eventPattern).toMatchObject({
      detail: {
        jobQueue: [expect.stringMatching(/:job-queue\//)],
        jobDefinition: [{ prefix: expect.stringMatching(/job-definition\/array-work:$/) }],
      },
    });
    expect(app.notes).toEqual([]);
  });

  itPassesTheCommonChecks(() => ex);
});
