import { Match } from 'aws-cdk-lib/assertions';
import { ArrayWorkflowStack } from '../../examples/array-workflow/stack';
import { itPassesTheCommonChecks, type SynthesizedExample, synthExample } from './_harness';

let ex: SynthesizedExample<ArrayWorkflowStack>;
beforeAll(() => {
  ex = synthExample((app) => new ArrayWorkflowStack(app, 'ArrayWorkflow'));
});
afterAll(() => ex.cleanup());

/** The states of the state machine definition, parsed from its Fn::Join. */
function states(): Record<string, { Parameters: Record<string, unknown>; Next?: string; End?: boolean }> {
  const [sm] = Object.values(ex.template.findResources('AWS::StepFunctions::StateMachine'));
  const parts = sm.Properties.DefinitionString['Fn::Join'][1] as unknown[];
  // Tokens (Ref, partition) sit inside JSON strings: replace them with a marker.
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : '<token>')).join('')).States;
}

describe('examples/array-workflow', () => {
  test("five job definitions named as in the guide's workflow", () => {
    const names = ex.model.jobDefinitions.map((j) => j.jobDefinitionName).sort();
    expect(names).toEqual([
      'JobA-list-and-validate',
      'JobB-CPU-Intensive-Processing',
      'JobC-Memory-Intensive-Processing',
      'JobD-Sequential-Validation',
      'JobE-Cleanup-and-Notification',
    ]);
  });

  test('the state machine submits A, B (array 100 after A), C (N_TO_N on B), D (SEQUENTIAL after C), E', () => {
    const s = states();
    expect(Object.keys(s)).toEqual(['Submit JobA', 'Submit JobB', 'Submit JobC', 'Submit JobD', 'Submit JobE']);
    expect(s['Submit JobA'].Parameters.DependsOn).toBeUndefined();
    expect(s['Submit JobB'].Parameters).toMatchObject({
      ArrayProperties: { Size: 100 },
      DependsOn: [{ 'JobId.$': '$.jobIds.stage0.JobId' }],
    });
    expect(s['Submit JobC'].Parameters).toMatchObject({
      ArrayProperties: { Size: 100 },
      DependsOn: [{ 'JobId.$': '$.jobIds.stage1.JobId', Type: 'N_TO_N' }],
    });
    expect(s['Submit JobD'].Parameters).toMatchObject({
      ArrayProperties: { Size: 10 },
      DependsOn: [{ 'JobId.$': '$.jobIds.stage2.JobId' }, { Type: 'SEQUENTIAL' }],
    });
    expect(s['Submit JobE'].Parameters).toMatchObject({ DependsOn: [{ 'JobId.$': '$.jobIds.stage3.JobId' }] });
    expect(s['Submit JobE'].End).toBe(true);
  });

  test("JobE's end (SUCCEEDED or FAILED) is published to the encrypted SNS topic", () => {
    ex.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.batch'],
        'detail-type': ['Batch Job State Change'],
        detail: Match.objectLike({ status: ['SUCCEEDED', 'FAILED'] }),
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^WorkflowNotifications') } })],
    });
    ex.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  itPassesTheCommonChecks(() => ex);
});
