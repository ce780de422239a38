/**
 * loadBatchModel on broken inputs: every error is a BatchkitError of kind `input` with a stable
 * code and a message that names the file, resource and property.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadBatchModel } from '../../../lib/core/assembly';
import { BatchkitError } from '../../../lib/core/errors';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-bad-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

function errorOf(fn: () => unknown): BatchkitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BatchkitError);
    expect((e as BatchkitError).kind).toBe('input');
    return e as BatchkitError;
  }
  throw new Error('expected an error');
}

const queue = (props: Record<string, unknown>) => ({
  Type: 'AWS::Batch::JobQueue',
  Properties: {
    Priority: 1,
    ComputeEnvironmentOrder: [
      { Order: 1, ComputeEnvironment: 'arn:aws:batch:us-east-1:123456789012:compute-environment/ce' },
    ],
    ...props,
  },
});

describe('loader errors', () => {
  test('a missing path', () => {
    const e = errorOf(() => loadBatchModel(path.join(dir, 'nope', 'cdk.out')));
    expect(e.code).toBe('BATCHKIT-ASSEMBLY-001');
    expect(e.message).toContain(path.join(dir, 'nope', 'cdk.out'));
    expect(e.message).toContain('does not exist');
    expect(e.fix).toMatch(/cdk synth/);
  });

  test('a directory without manifest.json', () => {
    mkdirSync(path.join(dir, 'empty'));
    const e = errorOf(() => loadBatchModel(path.join(dir, 'empty')));
    expect(e.code).toBe('BATCHKIT-ASSEMBLY-002');
    expect(e.message).toBe(
      `${path.join(dir, 'empty')} is a directory without manifest.json, so it ` +
        `is not a cloud assembly. Fix: ${e.fix}`,
    );
  });

  test('a truncated JSON template names the file and says it ends too early', () => {
    const file = write('truncated.template.json', '{\n  "Resources": {\n    "Q": { "Type": "AWS::Batch::JobQueue", ');
    const e = errorOf(() => loadBatchModel(file));
    expect(e.code).toBe('BATCHKIT-ASSEMBLY-003');
    expect(e.message).toContain(`template ${file} is not valid JSON at end of file (line 3)`);
  });

  test('a JSON syntax error gives line and column', () => {
    const file = write('comma.json', '{\n  "Resources": {\n    "Q": { "Type": "x",, }\n  }\n}\n');
    const e = errorOf(() => loadBatchModel(file));
    expect(e.code).toBe('BATCHKIT-ASSEMBLY-003');
    expect(e.message).toContain(`template ${file} is not valid JSON at line 3, column 24`);
  });

  test('a truncated manifest.json', () => {
    write('broken-asm/manifest.json', '{ "version": "55.0.0", "artifacts": {');
    const e = errorOf(() => loadBatchModel(path.join(dir, 'broken-asm')));
    expect(e.code).toBe('BATCHKIT-ASSEMBLY-003');
    expect(e.message).toContain(
      `cloud assembly manifest ${path.join(dir, 'broken-asm', 'manifest.json')} is not valid JSON`,
    );
  });

  test('invalid YAML gives the line', () => {
    const file = write('bad.yaml', 'Resources:\n  Q:\n    Type: AWS::Batch::JobQueue\n    Properties: [1, 2\n  R: x\n');
    const e = errorOf(() => loadBatchModel(file));
    expect(e.code).toBe('BATCHKIT-ASSEMBLY-003');
    expect(e.message).toMatch(
      new RegExp(`template ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid YAML at line 5, column \\d+`),
    );
  });

  test('a JSON file that is not a template', () => {
    const file = write('package.json', { name: 'x' });
    const e = errorOf(() => loadBatchModel(file));
    expect(e.code).toBe('BATCHKIT-ASSEMBLY-003');
    expect(e.message).toBe(`${file} is not a CloudFormation template: it has no "Resources" section. Fix: ${e.fix}`);
  });

  test('an unknown stack in options.stacks lists the stacks there are', () => {
    write('asm/manifest.json', {
      version: '55.0.0',
      artifacts: {
        StackA: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://unknown-account/unknown-region',
          properties: { templateFile: 'StackA.template.json' },
        },
        StackB: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://unknown-account/unknown-region',
          properties: { templateFile: 'StackB.template.json' },
        },
      },
    });
    write('asm/StackA.template.json', { Resources: { Q: queue({ JobQueueName: 'a' }) } });
    write('asm/StackB.template.json', { Resources: { Q: queue({ JobQueueName: 'b' }) } });
    expect(loadBatchModel(path.join(dir, 'asm'), { stacks: ['StackB'] }).jobQueues.map((q) => q.jobQueueName)).toEqual([
      'b',
    ]);
    const e = errorOf(() => loadBatchModel(path.join(dir, 'asm'), { stacks: ['StackC'] }));
    expect(e.code).toBe('BATCHKIT-ASSEMBLY-004');
    expect(e.message).toContain(
      `The cloud assembly ${path.join(dir, 'asm')} has no stack "StackC". Its stacks: StackA, StackB.`,
    );
  });

  test('a Ref to an undeclared name names the resource and the property', () => {
    const file = write('unknown-ref.json', {
      Parameters: { Stage: { Type: 'String', Default: 'x' } },
      Resources: { Queue: queue({ JobQueueName: { 'Fn::Join': ['-', [{ Ref: 'Stage' }, { Ref: 'Missing' }]] } }) },
    });
    const e = errorOf(() => loadBatchModel(file));
    expect(e.code).toBe('BATCHKIT-ASSEMBLY-005');
    expect(e.message).toContain(
      `${file}, resource "Queue", property Properties.JobQueueName.Fn::Join[1]: Ref to "Missing", which is ` +
        `neither a resource, a parameter nor a pseudo parameter of stack unknown-ref.`,
    );
    expect(e.fix).toBe('Correct the name or declare it. Resources: Queue; parameters: Stage.');
  });

  test('a GetAtt of an undeclared resource and an undeclared condition', () => {
    const getAtt = write('unknown-getatt.json', {
      Resources: { Queue: queue({ SchedulingPolicyArn: { 'Fn::GetAtt': ['Policy', 'Arn'] } }) },
    });
    const e1 = errorOf(() => loadBatchModel(getAtt));
    expect(e1.code).toBe('BATCHKIT-ASSEMBLY-005');
    expect(e1.message).toContain(
      'resource "Queue", property Properties.SchedulingPolicyArn: Fn::GetAtt ' + 'to "Policy", which is not a resource',
    );
    const cond = write('unknown-cond.json', { Resources: { Queue: { ...queue({}), Condition: 'IsProd' } } });
    const e2 = errorOf(() => loadBatchModel(cond));
    expect(e2.code).toBe('BATCHKIT-ASSEMBLY-005');
    expect(e2.message).toContain('resource "Queue", property Condition: condition "IsProd" is not declared');
  });

  test('a cycle of Ref/GetAtt between resources is named', () => {
    const file = write('cycle.json', {
      Resources: {
        A: queue({ JobQueueName: { 'Fn::Join': ['-', ['a', { 'Fn::GetAtt': ['B', 'JobQueueName'] }]] } }),
        B: queue({ JobQueueName: { 'Fn::Sub': 'b-${A}' } }),
      },
    });
    const e = errorOf(() => loadBatchModel(file));
    expect(e.code).toBe('BATCHKIT-ASSEMBLY-006');
    expect(e.message).toContain(
      `${file}, resource "B", property Properties.JobQueueName: resources ` +
        `refer to each other in a cycle (Ref/Fn::GetAtt): A → B → A.`,
    );
  });

  test('a condition cycle is named', () => {
    const file = write('cond-cycle.json', {
      Conditions: { C1: { Condition: 'C2' }, C2: { 'Fn::Not': [{ Condition: 'C1' }] } },
      Resources: { Q: { ...queue({}), Condition: 'C1' } },
    });
    const e = errorOf(() => loadBatchModel(file));
    expect(e.code).toBe('BATCHKIT-ASSEMBLY-006');
    expect(e.message).toContain('conditions refer to each other in a cycle: C1 → C2 → C1.');
  });

  test('malformed intrinsic functions', () => {
    const select = write('select.json', {
      Resources: { Q: queue({ JobQueueName: { 'Fn::Select': [3, ['a', 'b']] } }) },
    });
    const e1 = errorOf(() => loadBatchModel(select));
    expect(e1.code).toBe('BATCHKIT-ASSEMBLY-007');
    expect(e1.message).toContain(
      'resource "Q", property Properties.JobQueueName.Fn::Select: Fn::Select selects index 3 of a list of 2.',
    );
    const map = write('map.json', {
      Mappings: { M: { a: { b: 'c' } } },
      Resources: { Q: queue({ JobQueueName: { 'Fn::FindInMap': ['M', 'a', 'zz'] } }) },
    });
    const e2 = errorOf(() => loadBatchModel(map));
    expect(e2.code).toBe('BATCHKIT-ASSEMBLY-007');
    expect(e2.message).toContain('Fn::FindInMap looks up M.a.zz, which the Mappings section does not have.');
    const join = write('join.json', { Resources: { Q: queue({ JobQueueName: { 'Fn::Join': ['-'] } }) } });
    expect(errorOf(() => loadBatchModel(join)).message).toContain('Fn::Join has arguments ["-"]');
  });
});
