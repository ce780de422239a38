import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { FairshareSchedulingPolicy } from '../../../lib/constructs/queue';
import { newStack } from '../job/_fixtures';

describe('FairshareSchedulingPolicy', () => {
  test('shares, share decay, compute reservation and name render', () => {
    const stack = newStack();
    const p = new FairshareSchedulingPolicy(stack, 'Policy', {
      schedulingPolicyName: 'fair',
      shares: [{ shareIdentifier: 'teamA', weightFactor: 0.5 }],
      shareDecay: Duration.hours(1),
      computeReservation: 25,
    });
    p.addShare({ shareIdentifier: 'teamB*', weightFactor: 2 });
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::SchedulingPolicy', {
      Name: 'fair',
      FairsharePolicy: {
        ShareDecaySeconds: 3600,
        ComputeReservation: 25,
        ShareDistribution: [
          { ShareIdentifier: 'teamA', WeightFactor: 0.5 },
          { ShareIdentifier: 'teamB*', WeightFactor: 2 },
        ],
      },
    });
    expect(p.schedulingPolicyName).toBe('fair');
    expect(p.model).toEqual({
      name: 'fair',
      fairsharePolicy: {
        shareDecaySeconds: 3600,
        computeReservation: 25,
        shareDistribution: [
          { shareIdentifier: 'teamA', weightFactor: 0.5 },
          { shareIdentifier: 'teamB*', weightFactor: 2 },
        ],
      },
    });
  });

  test('with no props, the fair-share policy is empty and the name is generated', () => {
    const stack = newStack();
    new FairshareSchedulingPolicy(stack, 'Policy');
    Template.fromStack(stack).hasResourceProperties('AWS::Batch::SchedulingPolicy', {
      Name: Match.absent(),
      FairsharePolicy: {
        ShareDistribution: Match.absent(),
        ShareDecaySeconds: Match.absent(),
        ComputeReservation: Match.absent(),
      },
    });
  });

  test('a share identifier given twice is rejected', () => {
    const p = new FairshareSchedulingPolicy(newStack(), 'Policy', {
      shares: [{ shareIdentifier: 'a', weightFactor: 1 }],
    });
    expect(() => p.addShare({ shareIdentifier: 'a', weightFactor: 2 })).toThrow(
      /TestStack\/Policy: \[BATCH-SP-004\] .*"a"/,
    );
    expect(p.model.fairsharePolicy?.shareDistribution).toEqual([{ shareIdentifier: 'a', weightFactor: 1 }]);
  });

  test('a share decay that is not whole seconds is rejected', () => {
    expect(() => new FairshareSchedulingPolicy(newStack(), 'Policy', { shareDecay: Duration.millis(1500) })).toThrow(
      /TestStack\/Policy: \[BATCH-SP-002\] .*shareDecaySeconds.*Got: 1\.5/,
    );
  });

  test('fromFairshareSchedulingPolicyArn reads the name from the ARN', () => {
    const p = FairshareSchedulingPolicy.fromFairshareSchedulingPolicyArn(
      newStack(),
      'Imp',
      'arn:aws:batch:us-east-1:123456789012:scheduling-policy/fair',
    );
    expect(p.schedulingPolicyName).toBe('fair');
    expect(p.schedulingPolicyArn).toBe('arn:aws:batch:us-east-1:123456789012:scheduling-policy/fair');
  });

  test(
    'the core scheduling-policy rules run at construction: ' + 'computeReservation 150 fails with a BATCH-SP code',
    () => {
      expect(() => new FairshareSchedulingPolicy(newStack(), 'Policy', { computeReservation: 150 })).toThrow(
        /TestStack\/Policy: \[BATCH-SP-\d{3}\] SchedulingPolicy "Policy" fairsharePolicy\.computeReservation.*150/,
      );
    },
  );

  test('addShare re-runs the rules: a weight out of range fails with a BATCH-SP code', () => {
    const p = new FairshareSchedulingPolicy(newStack(), 'Policy');
    expect(() => p.addShare({ shareIdentifier: 'a', weightFactor: 5000 })).toThrow(
      /\[BATCH-SP-\d{3}\].*weightFactor.*5000/,
    );
  });
});
