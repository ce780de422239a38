import { Match } from 'aws-cdk-lib/assertions';
import { MultiNodeStack } from '../../examples/multi-node/stack';
import { itPassesTheCommonChecks, type SynthesizedExample, synthExample } from './_harness';

let ex: SynthesizedExample<MultiNodeStack>;
beforeAll(() => {
  ex = synthExample((app) => new MultiNodeStack(app, 'MultiNode'));
});
afterAll(() => ex.cleanup());

describe('examples/multi-node', () => {
  test('a 4-node job: node 0 main, nodes 1-3 workers, all on c6i.2xlarge', () => {
    ex.template.hasResourceProperties('AWS::Batch::JobDefinition', {
      Type: 'multinode',
      NodeProperties: {
        NumNodes: 4,
        MainNode: 0,
        NodeRangeProperties: [
          Match.objectLike({ TargetNodes: '0', Container: Match.objectLike({ InstanceType: 'c6i.2xlarge' }) }),
          Match.objectLike({ TargetNodes: '1:3', Container: Match.objectLike({ InstanceType: 'c6i.2xlarge' }) }),
        ],
      },
    });
  });

  test('an On-Demand environment of that type in a cluster placement group; nodes reach each other', () => {
    ex.template.hasResourceProperties('AWS::EC2::PlacementGroup', { Strategy: 'cluster' });
    ex.template.hasResourceProperties('AWS::Batch::ComputeEnvironment', {
      ComputeResources: Match.objectLike({
        Type: 'EC2',
        InstanceTypes: ['c6i.2xlarge'],
        PlacementGroup: Match.anyValue(),
      }),
    });
    ex.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 0,
      ToPort: 65535,
      Description: 'MNP nodes talk to each other',
    });
  });

  itPassesTheCommonChecks(() => ex);
});
