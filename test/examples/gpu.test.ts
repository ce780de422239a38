import { Match } from 'aws-cdk-lib/assertions';
import { GpuStack } from '../../examples/gpu/stack';
import { itPassesTheCommonChecks, type SynthesizedExample, synthExample } from './_harness';

let ex: SynthesizedExample<GpuStack>;
beforeAll(() => {
  ex = synthExample((app) => new GpuStack(app, 'Gpu'));
});
afterAll(() => ex.cleanup());

describe('examples/gpu', () => {
  test('the job reserves one GPU and runs nvidia-smi', () => {
    ex.template.hasResourceProperties('AWS::Batch::JobDefinition', {
      JobDefinitionName: 'gpu-smoke-test',
      ContainerProperties: Match.objectLike({
        Command: ['nvidia-smi'],
        ResourceRequirements: Match.arrayWith([{ Type: 'GPU', Value: '1' }]),
      }),
    });
  });

  test('the environment runs g5/g6 instances from the NVIDIA AMI with a 100 GiB encrypted root volume', () => {
    ex.template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: Match.objectLike({
        InstanceTypes: ['g5', 'g6'],
        Ec2Configuration: [{ ImageType: 'ECS_AL2023_NVIDIA' }],
        MaxvCpus: 32,
      }),
    });
    ex.template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        MetadataOptions: Match.objectLike({ HttpTokens: 'required' }),
        BlockDeviceMappings: [Match.objectLike({ Ebs: Match.objectLike({ VolumeSize: 100, Encrypted: true }) })],
      }),
    });
  });

  itPassesTheCommonChecks(() => ex);
});
