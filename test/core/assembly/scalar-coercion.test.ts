/**
 * CloudFormation passes numbers and booleans of string-typed properties on to Batch as strings:
 * the loader does the same, once, so validate, local run and local serve all see strings.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadBatchModel } from '../../../lib/core/assembly';
import { runCli, TEST_IMAGE } from '../../_helpers/cli';

const TEMPLATE = `
Resources:
  CE:
    Type: AWS::Batch::ComputeEnvironment
    Properties:
      Type: MANAGED
      ComputeEnvironmentName: ce1
      ComputeResources:
        Type: EC2
        MaxvCpus: 2
        MinvCpus: 0
        InstanceTypes: [optimal]
        Subnets: [subnet-1]
        InstanceRole: arn:aws:iam::123456789012:instance-profile/ecsInstanceRole
  Queue:
    Type: AWS::Batch::JobQueue
    Properties:
      JobQueueName: q
      Priority: 1
      ComputeEnvironmentOrder:
        - Order: 1
          ComputeEnvironment: !Ref CE
  Stress:
    Type: AWS::Batch::JobDefinition
    Properties:
      Type: container
      JobDefinitionName: stress
      Parameters:
        cpus: 2
        verbose: true
      Tags:
        cost-centre: 4711
      RetryStrategy:
        Attempts: 2
        EvaluateOnExit:
          - OnExitCode: 137
            Action: RETRY
      ContainerProperties:
        Image: ${TEST_IMAGE}
        Command: [echo, --cpu, 2, --timeout, 600, --dry, true, 1.5]
        Privileged: false
        Environment:
          - Name: WORKERS
            Value: 8
          - Name: DEBUG
            Value: false
        ResourceRequirements:
          - Type: VCPU
            Value: 1
          - Type: MEMORY
            Value: 32
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-coerce-'));
  writeFileSync(path.join(dir, 'template.yaml'), TEMPLATE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('numbers and booleans in Command, environment, parameters, tags and requirement values become strings', () => {
  const model = loadBatchModel(path.join(dir, 'template.yaml'));
  const jd = model.jobDefinitions[0];
  expect(jd.containerProperties?.command).toEqual(['echo', '--cpu', '2', '--timeout', '600', '--dry', 'true', '1.5']);
  expect(jd.containerProperties?.environment).toEqual([
    { name: 'WORKERS', value: '8' },
    { name: 'DEBUG', value: 'false' },
  ]);
  expect(jd.parameters).toEqual({ cpus: '2', verbose: 'true' });
  expect(jd.tags).toEqual({ 'cost-centre': '4711' });
  expect(jd.containerProperties?.resourceRequirements).toEqual([
    { type: 'VCPU', value: '1' },
    { type: 'MEMORY', value: '32' },
  ]);
  expect(jd.retryStrategy?.evaluateOnExit?.[0].onExitCode).toBe('137');
  // Fields the API types as numbers and booleans keep those types.
  expect(jd.retryStrategy?.attempts).toBe(2);
  expect(jd.containerProperties?.privileged).toBe(false);
});

test('local run of a definition with a numeric Command runs it (exit 0, the numbers echoed)', () => {
  const r = runCli(
    [
      'local',
      'run',
      '--app',
      'template.yaml',
      '--job-queue',
      'q',
      '--job-definition',
      'stress',
      '--follow',
      '--store',
      path.join(dir, '.batchkit'),
    ],
    { cwd: dir },
  );
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^stress \| --cpu 2 --timeout 600 --dry true 1\.5$/m);
});
