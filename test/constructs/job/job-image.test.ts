import * as path from 'path';
import * as fs from 'fs';
import * as os from 'os';
import { Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ContainerJobDefinition, JobContainer, JobImage } from '../../../lib/constructs/job';
import { newStack } from './_fixtures';

const job = (image: JobImage) => JobContainer.ec2({ image, cpu: 1, memory: Size.gibibytes(1) });

describe('JobImage', () => {
  test('a registry image with credentials renders repositoryCredentials and grants read on the secret', () => {
    const stack = newStack();
    const credentials = new secretsmanager.Secret(stack, 'RegistryCreds');
    new ContainerJobDefinition(stack, 'Job', {
      container: job(JobImage.fromRegistry('registry.example.com/app:1', { credentials })),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: {
        Image: 'registry.example.com/app:1',
        RepositoryCredentials: { CredentialsParameter: { Ref: Match.stringLikeRegexp('^RegistryCreds') } },
      },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] }),
        ]),
      },
    });
  });

  test('an ECR image renders the repository URI with the tag and grants pull to the execution role', () => {
    const stack = newStack();
    const repo = new ecr.Repository(stack, 'Repo');
    new ContainerJobDefinition(stack, 'Job', { container: job(JobImage.fromEcrRepository(repo, 'v2')) });
    const t = Template.fromStack(stack);
    const jd = Object.values(t.findResources('AWS::Batch::JobDefinition'))[0] as {
      Properties: { ContainerProperties: { Image: unknown } };
    };
    expect(JSON.stringify(jd.Properties.ContainerProperties.Image)).toMatch(/Repo.*:v2/);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
          }),
          Match.objectLike({ Action: 'ecr:GetAuthorizationToken', Resource: '*' }),
        ]),
      },
    });
  });

  test('an asset image used by two job definitions is one Docker asset and one grant', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bk-img-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM busybox\n');
    const stack = newStack();
    const image = JobImage.fromAsset(dir);
    new ContainerJobDefinition(stack, 'A', { container: job(image) });
    new ContainerJobDefinition(stack, 'B', { container: job(image) });
    const t = Template.fromStack(stack);
    const images = Object.values(t.findResources('AWS::Batch::JobDefinition')).map((r) =>
      JSON.stringify(
        (r as { Properties: { ContainerProperties: { Image: unknown } } }).Properties.ContainerProperties.Image,
      ),
    );
    expect(images[0]).toBe(images[1]);
    expect(images[0]).toContain('dkr.ecr');
    const pulls = JSON.stringify(t.findResources('AWS::IAM::Policy')).match(/ecr:BatchGetImage/g) ?? [];
    expect(pulls).toHaveLength(1);
  });
});
