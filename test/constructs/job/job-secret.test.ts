import { Size } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ContainerJobDefinition, JobContainer, JobImage, JobSecret } from '../../../lib/constructs/job';
import { newStack } from './_fixtures';

describe('JobSecret', () => {
  test('Secrets Manager and SSM secrets render valueFrom and grant read to the shared execution role', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'DbSecret');
    const param = ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'Token', {
      parameterName: '/app/token',
    });
    new ContainerJobDefinition(stack, 'Job', {
      container: JobContainer.ec2({
        image: JobImage.fromRegistry('busybox'),
        cpu: 1,
        memory: Size.gibibytes(1),
        secrets: {
          DB_PASSWORD: JobSecret.fromSecretsManager(secret, 'password'),
          DB_ALL: JobSecret.fromSecretsManager(secret),
          TOKEN: JobSecret.fromSsmParameter(param),
        },
      }),
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Batch::JobDefinition', {
      ContainerProperties: {
        Secrets: [
          {
            Name: 'DB_PASSWORD',
            ValueFrom: { 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('^DbSecret') }, ':password::']] },
          },
          { Name: 'DB_ALL', ValueFrom: { Ref: Match.stringLikeRegexp('^DbSecret') } },
          { Name: 'TOKEN', ValueFrom: Match.objectLike({ 'Fn::Join': Match.anyValue() }) },
        ],
      },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^BatchJobExecutionRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: { Ref: Match.stringLikeRegexp('^DbSecret') },
          }),
          Match.objectLike({ Action: Match.arrayWith(['ssm:GetParameter']) }),
        ]),
      },
    });
  });
});
