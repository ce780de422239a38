import { Match } from 'aws-cdk-lib/assertions';
import { GettingStartedStack } from '../../examples/getting-started/stack';
import { itPassesTheCommonChecks, type SynthesizedExample, synthExample } from './_harness';

let ex: SynthesizedExample<GettingStartedStack>;
beforeAll(() => {
  ex = synthExample((app) => new GettingStartedStack(app, 'GettingStarted'));
});
afterAll(() => ex.cleanup());

describe('examples/getting-started', () => {
  test("the guide's first-run job definition: busybox echoing hello world with 2 vCPUs and 2000 MiB", () => {
    ex.template.hasResourceProperties('AWS::Batch::JobDefinition', {
      JobDefinitionName: 'first-run-job-definition',
      Type: 'container',
      PlatformCapabilities: ['EC2'],
      ContainerProperties: Match.objectLike({
        Image: 'busybox',
        Command: ['echo', 'hello world'],
        ResourceRequirements: [
          { Type: 'VCPU', Value: '2' },
          { Type: 'MEMORY', Value: '2000' },
        ],
      }),
    });
  });

  test('one BatchEnvironment: two compute environments capped at 16 vCPUs, two queues', () => {
    ex.template.resourceCountIs('AWS::Batch::ComputeEnvironment', 2);
    ex.template.resourceCountIs('AWS::Batch::JobQueue', 2);
    const ces = ex.model.computeEnvironments.map((c) => [c.computeResources?.type, c.computeResources?.maxvCpus]);
    expect(ces.sort()).toEqual([
      ['EC2', 16],
      ['SPOT', 16],
    ]);
  });

  test('the loader sees the job definition the way Batch will', () => {
    const jd = ex.model.jobDefinitions.find((j) => j.jobDefinitionName === 'first-run-job-definition');
    expect(jd?.containerProperties?.command).toEqual(['echo', 'hello world']);
    expect(jd?.timeout?.attemptDurationSeconds).toBe(600);
  });

  itPassesTheCommonChecks(() => ex);
});
