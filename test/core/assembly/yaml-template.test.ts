/**
 * loadBatchModel on hand-written CloudFormation templates: YAML short forms, parameters,
 * conditions, mappings, pseudo parameters and a nested stack given by a local TemplateURL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadBatchModel } from '../../../lib/core/assembly';
import { describeUnresolved, isUnresolved, UNRESOLVED_NUMBER } from '../../../lib/core/model/unresolved';

const TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Stage:
    Type: String
    Default: prod
  ImageTag:
    Type: String
  Subnets:
    Type: CommaDelimitedList
    Default: subnet-aaa, subnet-bbb
  MaxCpus:
    Type: Number
    Default: 256
Mappings:
  StageSettings:
    prod:
      Priority: 50
    dev:
      Priority: 1
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
  IsDev: !Not [!Condition IsProd]
  ProdInEu: !And [!Condition IsProd, !Equals [!Ref 'AWS::Region', eu-central-1]]
  ProdOrDev: !Or [!Condition IsProd, !Condition IsDev]
  TagKnown: !Equals [!Ref ImageTag, latest]
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub '\${AWS::StackName}-job-role'
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: [ecs-tasks.amazonaws.com, batch.amazonaws.com] }
            Action: sts:AssumeRole
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        MetadataOptions: { HttpTokens: optional }
        UserData:
          Fn::Base64: !Sub |
            #!/bin/bash
            echo \${Stage} in \${AWS::Region}
  Ce:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeResources:
        Type: EC2
        MaxvCpus: !Ref MaxCpus
        MinvCpus: !If [IsProd, 4, 0]
        Subnets: !Ref Subnets
        InstanceTypes: !Split [',', 'c5.large,m5.large']
        LaunchTemplate:
          LaunchTemplateId: !Ref Template
          Version: !GetAtt Template.LatestVersionNumber
        Ec2KeyPair: !If [IsDev, dev-key, !Ref 'AWS::NoValue']
        Tags: { Stage: !Ref Stage }
      Tags:
        AvailabilityZone: !Select [1, !GetAZs '']
  Queue:
    Type: AWS::Batch::JobQueue
    Properties:
      JobQueueName: !Join ['-', [!Ref Stage, queue]]
      Priority: !FindInMap [StageSettings, !Ref Stage, Priority]
      ComputeEnvironmentOrder:
        - Order: 1
          ComputeEnvironment: !Ref Ce
  DevQueue:
    Type: AWS::Batch::JobQueue
    Condition: IsDev
    Properties:
      Priority: 1
      ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: !Ref Ce }]
  Job:
    Type: AWS::Batch::JobDefinition
    Properties:
      Type: Container
      JobDefinitionName: !Sub
        - '\${Prefix}-\${Stage}-job'
        - Prefix: !Select [0, !Split ['-', 'batchkit-tools']]
      ContainerProperties:
        Image: !Sub '\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/app:\${ImageTag}'
        JobRoleArn: !GetAtt [Role, Arn]
        Command: [echo, !Sub '\${!Literal}', !Sub '\${Queue}']
        ResourceRequirements:
          - { Type: VCPU, Value: 1 }
          - { Type: MEMORY, Value: !If [IsProd, 4096, 1024] }
        Environment:
          - { Name: SHARED_VPC, Value: !ImportValue shared-vpc-id }
          - { Name: PARTITION, Value: !Ref 'AWS::Partition' }
          - { Name: ROLE, Value: !Sub 'role=\${Role.Arn}' }
          - { Name: STACK_ID, Value: !Ref 'AWS::StackId' }
          - { Name: CONDITIONS, Value: !Join [',', [!If [ProdInEu, eu, not-eu], !If [ProdOrDev, any, none]]] }
          - { Name: NESTED_OUT, Value: !GetAtt Child.Outputs.ChildQueueArn }
        LogConfiguration:
          LogDriver: awslogs
          Options: { awslogs-region: !Ref 'AWS::Region', awslogs-stream-prefix: job }
      Timeout: { AttemptDurationSeconds: '120' }
      RetryStrategy: { Attempts: !If [TagKnown, 2, 3] }
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: child.yaml
      Parameters:
        ParentQueue: !Ref Queue
`;

const CHILD = `
Parameters:
  ParentQueue: { Type: String }
Resources:
  ChildQueue:
    Type: AWS::Batch::JobQueue
    Properties:
      JobQueueName: child-queue
      Priority: 2
      ComputeEnvironmentOrder:
        - { Order: 1, ComputeEnvironment: arn:aws:batch:us-east-1:123456789012:compute-environment/x }
      Tags: { Parent: !Ref ParentQueue, Stack: !Ref 'AWS::StackName' }
Outputs:
  ChildQueueArn:
    Value: !Ref ChildQueue
`;

let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-yaml-'));
  file = path.join(dir, 'batch.yaml');
  writeFileSync(file, TEMPLATE);
  writeFileSync(path.join(dir, 'child.yaml'), CHILD);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hand-written YAML template with defaults', () => {
  const load = () => loadBatchModel(file, { environment: { account: '444455556666', region: 'eu-central-1' } });

  test('uses options.environment and the file name as stack name', () => {
    const model = load();
    expect(model.environment).toEqual({
      account: '444455556666',
      region: 'eu-central-1',
      partition: 'aws',
      urlSuffix: 'amazonaws.com',
    });
    expect(model.roles[0].roleName).toBe('batch-job-role');
    expect(model.roles[0].arn).toBe('arn:aws:iam::444455556666:role/batch-job-role');
    expect(model.roles[0].trustedServices).toEqual(['ecs-tasks.amazonaws.com', 'batch.amazonaws.com']);
  });

  test('short forms, parameters, mappings, conditions and pseudo parameters resolve into the model', () => {
    const model = load();
    const ce = model.computeEnvironments[0];
    expect(ce.computeEnvironmentName).toMatch(/^Ce-[0-9a-f]{12}$/);
    expect(ce.computeResources).toEqual({
      type: 'EC2',
      maxvCpus: 256,
      minvCpus: 4,
      subnets: ['subnet-aaa', 'subnet-bbb'],
      instanceTypes: ['c5.large', 'm5.large'],
      launchTemplate: { launchTemplateId: model.launchTemplates[0].launchTemplateId, version: '1' },
      tags: { Stage: 'prod' },
    });
    expect(ce.tags).toEqual({ AvailabilityZone: 'eu-central-1b' });

    expect(model.jobQueues.map((q) => q.jobQueueName)).toEqual(['prod-queue', 'child-queue']);
    const queue = model.jobQueues[0];
    expect(queue.priority).toBe(50);
    expect(queue.computeEnvironmentOrder).toEqual([{ order: 1, computeEnvironment: ce.computeEnvironmentArn }]);
    expect(queue.jobQueueArn).toBe('arn:aws:batch:eu-central-1:444455556666:job-queue/prod-queue');

    const job = model.jobDefinitions[0];
    expect(job.jobDefinitionName).toBe('batchkit-prod-job');
    expect(job.type).toBe('container');
    expect(job.timeout).toEqual({ attemptDurationSeconds: 120 });
    const c = job.containerProperties!;
    expect(c.jobRoleArn).toBe(model.roles[0].arn);
    expect(c.command).toEqual(['echo', '${Literal}', queue.jobQueueArn]);
    expect(c.resourceRequirements).toEqual([
      { type: 'VCPU', value: '1' },
      { type: 'MEMORY', value: '4096' },
    ]);
    expect(c.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-region': 'eu-central-1', 'awslogs-stream-prefix': 'job' },
    });
    const env = Object.fromEntries(c.environment!.map((e) => [e.name, e.value]));
    expect(env.PARTITION).toBe('aws');
    expect(env.ROLE).toBe(`role=${model.roles[0].arn}`);
    expect(env.STACK_ID).toMatch(/^arn:aws:cloudformation:eu-central-1:444455556666:stack\/batch\/[0-9a-f-]{36}$/);
    expect(env.CONDITIONS).toBe('eu,any');
    expect(env.NESTED_OUT).toBe('arn:aws:batch:eu-central-1:444455556666:job-queue/child-queue');
  });

  test('a resource whose condition is false is left out; AWS::NoValue removes the property', () => {
    const model = load();
    expect(model.jobQueues.some((q) => q.source?.logicalId === 'DevQueue')).toBe(false);
    expect(model.computeEnvironments[0].computeResources).not.toHaveProperty('ec2KeyPair');
  });

  test('launch template user data is Fn::Base64 of the substituted script', () => {
    const lt = loadBatchModel(file).launchTemplates[0];
    expect(Buffer.from(lt.userData!, 'base64').toString('utf8')).toBe('#!/bin/bash\necho prod in us-east-1\n');
    expect(lt.httpTokens).toBe('optional');
    expect(lt.launchTemplateId).toMatch(/^lt-[0-9a-f]{17}$/);
  });

  test('unknowable values are unresolved, with a note that names resource and property', () => {
    const model = load();
    const c = model.jobDefinitions[0].containerProperties!;
    expect(isUnresolved(c.image)).toBe(true);
    expect(describeUnresolved(c.image)).toBe('parameter ImageTag');
    const shared = c.environment!.find((e) => e.name === 'SHARED_VPC')!.value;
    expect(describeUnresolved(shared)).toBe('Fn::ImportValue shared-vpc-id');
    expect(model.jobDefinitions[0].retryStrategy?.attempts).toBe(UNRESOLVED_NUMBER);
    expect(model.notes).toEqual(
      expect.arrayContaining([
        {
          source: expect.objectContaining({ stack: 'batch', logicalId: 'Job', file }),
          field: 'Properties.ContainerProperties.Image',
          message:
            'parameter ImageTag has no default and no value was given; give it one ' +
            'with --parameter-overrides ImageTag=<value>',
          kind: 'parameter-without-value',
        },
        {
          source: expect.objectContaining({ logicalId: 'Job' }),
          field: 'Properties.ContainerProperties.Environment[0].Value',
          message: 'Fn::ImportValue shared-vpc-id is an export of another stack, known only at deployment',
        },
        {
          source: { stack: 'batch', file },
          field: 'Conditions.TagKnown.Fn::Equals',
          message:
            'parameter ImageTag has no default and no value was given; give it one ' +
            'with --parameter-overrides ImageTag=<value>',
          kind: 'parameter-without-value',
        },
        {
          source: expect.objectContaining({ logicalId: 'Job' }),
          field: 'Properties.RetryStrategy.Attempts',
          message: 'condition TagKnown depends on values known only at deployment',
        },
      ]),
    );
  });

  test('nested stack from a local TemplateURL receives its parameters from the parent', () => {
    const model = load();
    const child = model.jobQueues.find((q) => q.jobQueueName === 'child-queue')!;
    expect(child.source).toEqual({ stack: 'batch/Child', logicalId: 'ChildQueue', file: path.join(dir, 'child.yaml') });
    expect(child.tags?.Parent).toBe('arn:aws:batch:eu-central-1:444455556666:job-queue/prod-queue');
    expect(child.tags?.Stack).toMatch(/^batch-Child-[0-9a-f]{12}$/);
  });

  test('options.parameters override defaults and flip conditions', () => {
    const model = loadBatchModel(file, { parameters: { Stage: 'dev', ImageTag: 'latest' } });
    expect(model.jobQueues.map((q) => q.source?.logicalId)).toEqual(['Queue', 'DevQueue', 'ChildQueue']);
    expect(model.jobQueues[0]).toMatchObject({ jobQueueName: 'dev-queue', priority: 1 });
    expect(model.computeEnvironments[0].computeResources).toMatchObject({ minvCpus: 0, ec2KeyPair: 'dev-key' });
    const job = model.jobDefinitions[0];
    expect(job.jobDefinitionName).toBe('batchkit-dev-job');
    expect(job.containerProperties!.image).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/app:latest');
    expect(job.retryStrategy).toEqual({ attempts: 2 });
    expect(model.notes.map((n) => n.message)).toEqual([
      'Fn::ImportValue shared-vpc-id is an export of another stack, known only at deployment',
    ]);
  });
});
