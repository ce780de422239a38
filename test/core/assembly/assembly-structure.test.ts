/**
 * Cloud assembly layouts beyond a single stack: stages (nested cloud assemblies), stacks in
 * different environments, nested stacks found by `aws:asset:path` metadata or missing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadBatchModel } from '../../../lib/core/assembly';
import { describeUnresolved } from '../../../lib/core/model/unresolved';

let dir: string;
function write(name: string, content: unknown): void {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(content, null, 2));
}

const queue = (name: string, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::Batch::JobQueue',
  Properties: {
    JobQueueName: name,
    Priority: 1,
    ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: 'ce' }],
    ...extra,
  },
});

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-asm-'));
  write('manifest.json', {
    version: '55.0.0',
    artifacts: {
      Top: {
        type: 'aws:cloudformation:stack',
        environment: 'aws://111111111111/us-west-2',
        properties: { templateFile: 'Top.template.json' },
      },
      'assembly-Prod': {
        type: 'cdk:cloud-assembly',
        properties: { directoryName: 'assembly-Prod', displayName: 'Prod' },
      },
    },
  });
  write('Top.template.json', {
    Resources: {
      Q: queue('top', {
        Tags: {
          ChildRef: { Ref: 'Child' },
          Sg: { Ref: 'Sg' },
          Vpc: { 'Fn::GetAtt': ['Vpc', 'VpcId'] },
          Bucket: { 'Fn::GetAtt': ['Topic', 'TopicName'] },
        },
      }),
      Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: {} },
      Vpc: { Type: 'AWS::EC2::VPC', Properties: {} },
      Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
      Child: {
        Type: 'AWS::CloudFormation::Stack',
        Metadata: { 'aws:asset:path': 'child.nested.template.json' },
        Properties: { TemplateURL: 'https://example.invalid/not-a-hash.json', Parameters: { Prio: 7 } },
      },
      Lost: {
        Type: 'AWS::CloudFormation::Stack',
        Properties: { TemplateURL: 'https://s3.amazonaws.com/bucket/unknown.json' },
      },
    },
  });
  write('child.nested.template.json', {
    Parameters: { Prio: { Type: 'Number' } },
    Resources: { CQ: queue('child', { Priority: { Ref: 'Prio' }, Tags: { Id: { Ref: 'AWS::StackId' } } }) },
  });
  write('assembly-Prod/manifest.json', {
    version: '55.0.0',
    artifacts: {
      ProdBatchStack1234: {
        type: 'aws:cloudformation:stack',
        environment: 'aws://222222222222/eu-north-1',
        displayName: 'Prod/BatchStack',
        properties: { templateFile: 'ProdBatchStack1234.template.json', stackName: 'Prod-BatchStack' },
      },
    },
  });
  write('assembly-Prod/ProdBatchStack1234.template.json', {
    Resources: { PQ: queue('prod', { Tags: { Stack: { Ref: 'AWS::StackName' } } }) },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cloud assembly structure', () => {
  test('stacks of stages are loaded, each with its own environment', () => {
    const model = loadBatchModel(dir);
    expect(model.jobQueues.map((q) => [q.jobQueueName, q.jobQueueArn])).toEqual([
      ['top', 'arn:aws:batch:us-west-2:111111111111:job-queue/top'],
      ['child', 'arn:aws:batch:us-west-2:111111111111:job-queue/child'],
      ['prod', 'arn:aws:batch:eu-north-1:222222222222:job-queue/prod'],
    ]);
    expect(model.environment.account).toBe('111111111111');
    expect(model.jobQueues[2].tags).toEqual({ Stack: 'Prod-BatchStack' });
    expect(model.jobQueues[2].source).toEqual({
      stack: 'ProdBatchStack1234',
      logicalId: 'PQ',
      file: path.join(dir, 'assembly-Prod', 'ProdBatchStack1234.template.json'),
    });
  });

  test('options.stacks matches display names and stack names', () => {
    expect(loadBatchModel(dir, { stacks: ['Prod/BatchStack'] }).jobQueues.map((q) => q.jobQueueName)).toEqual(['prod']);
    expect(loadBatchModel(dir, { stacks: ['Prod-BatchStack'] }).environment.region).toBe('eu-north-1');
  });

  test('nested stack by aws:asset:path gets parent parameters; a missing nested template is a note', () => {
    const model = loadBatchModel(dir, { stacks: ['Top'] });
    expect(model.jobQueues.find((q) => q.jobQueueName === 'child')).toMatchObject({
      priority: 7,
      source: { stack: 'Top/Child' },
    });
    expect(model.notes).toContainEqual({
      source: { stack: 'Top', logicalId: 'Lost', file: path.join(dir, 'Top.template.json') },
      field: 'Properties.TemplateURL',
      message:
        'nested stack Lost was not loaded: its TemplateURL is ' +
        'https://s3.amazonaws.com/bucket/unknown.json, and the cloud assembly has no file for it; ' +
        'its resources are not checked. Map it to a local copy of its template with --nested Lost=<file>',
      kind: 'nested-stack-not-loaded',
    });
  });

  test('Ref and GetAtt of non-Batch resources give plausible ids; unknown attributes are unresolved', () => {
    const tags = loadBatchModel(dir, { stacks: ['Top'] }).jobQueues[0].tags!;
    expect(tags.Sg).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(tags.Vpc).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(describeUnresolved(tags.Bucket)).toBe('Fn::GetAtt Topic.TopicName');
  });

  test('Ref of a nested stack is the stack ARN that the nested stack sees as AWS::StackId', () => {
    const model = loadBatchModel(dir, { stacks: ['Top'] });
    const ref = model.jobQueues[0].tags!.ChildRef;
    expect(ref).toMatch(/^arn:aws:cloudformation:us-west-2:111111111111:stack\/Top-Child-[0-9a-f]{12}\/[0-9a-f-]{36}$/);
    expect(model.jobQueues[1].tags).toEqual({ Id: ref });
  });

  test('a China region selects the aws-cn partition', () => {
    const model = loadBatchModel(path.join(dir, 'child.nested.template.json'), {
      environment: { region: 'cn-north-1' },
      parameters: { Prio: '2' },
    });
    expect(model.environment).toEqual({
      account: '123456789012',
      region: 'cn-north-1',
      partition: 'aws-cn',
      urlSuffix: 'amazonaws.com.cn',
    });
    expect(model.jobQueues[0].jobQueueArn).toBe('arn:aws-cn:batch:cn-north-1:123456789012:job-queue/child');
  });
});
