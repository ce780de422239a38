import { readFileSync } from 'fs';
import * as path from 'path';
import { Match } from 'aws-cdk-lib/assertions';
import { PRINT_COLOR_IMAGE_DIR, PrintColorStack } from '../../examples/print-color/stack';
import { itPassesTheCommonChecks, type SynthesizedExample, synthExample } from './_harness';

let ex: SynthesizedExample<PrintColorStack>;
beforeAll(() => {
  ex = synthExample((app) => new PrintColorStack(app, 'PrintColor'));
});
afterAll(() => ex.cleanup());

describe('examples/print-color', () => {
  test('the image is a local Docker image asset built FROM local/busybox:test with the tutorial files', () => {
    const dockerfile = readFileSync(path.join(PRINT_COLOR_IMAGE_DIR, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM local\/busybox:test$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["\/tmp\/print-color.sh"\]$/m);
    expect(readFileSync(path.join(PRINT_COLOR_IMAGE_DIR, 'colors.txt'), 'utf8').trim().split('\n')).toEqual([
      'red',
      'orange',
      'yellow',
      'green',
      'blue',
      'indigo',
      'violet',
    ]);
    expect(readFileSync(path.join(PRINT_COLOR_IMAGE_DIR, 'print-color.sh'), 'utf8')).toContain(
      'LINE=$((AWS_BATCH_JOB_ARRAY_INDEX + 1))',
    );
    expect(ex.model.dockerImageAssets).toHaveLength(1);
    expect(ex.model.dockerImageAssets[0].directory).toMatch(/asset\.[0-9a-f]{64}$/);
  });

  test('the job definition print-color uses the asset image with 1 vCPU and 250 MiB', () => {
    ex.template.hasResourceProperties('AWS::Batch::JobDefinition', {
      JobDefinitionName: 'print-color',
      ContainerProperties: Match.objectLike({
        Image: { 'Fn::Sub': Match.stringLikeRegexp('container-assets-.*:[0-9a-f]{64}$') },
        ResourceRequirements: [
          { Type: 'VCPU', Value: '1' },
          { Type: 'MEMORY', Value: '250' },
        ],
      }),
    });
    const jd = ex.model.jobDefinitions.find((j) => j.jobDefinitionName === 'print-color');
    expect(jd?.containerProperties?.image).toBe(ex.model.dockerImageAssets[0].imageUri);
  });

  test('the shared execution role may pull from the asset repository', () => {
    ex.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage']) }),
          { Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' },
        ]),
      },
      Roles: [{ Ref: Match.stringLikeRegexp('^BatchJobExecutionRole') }],
    });
  });

  itPassesTheCommonChecks(() => ex);
});
