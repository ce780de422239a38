/**
 * `batchkit local start-execution` exit codes: 2 for an unknown state machine or bad --input (before
 * Docker is asked), 1 for an execution that fails (an unsupported integration, named), 0 on SUCCEEDED
 * with the output on stdout and the transitions on stderr.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runCli } from '../_helpers/cli';

jest.setTimeout(120_000);

let dir: string;
let template: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-start-execution-'));
  template = path.join(dir, 'flow.template.json');
  const def = (states: object) => JSON.stringify({ StartAt: 'First', States: states });
  writeFileSync(
    template,
    JSON.stringify({
      Resources: {
        Ok: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            StateMachineName: 'ok',
            DefinitionString: def({
              First: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true },
            }),
          },
        },
        Ddb: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            StateMachineName: 'ddb',
            DefinitionString: def({
              First: {
                Type: 'Task',
                Resource: 'arn:aws:states:::dynamodb:putItem',
                Parameters: { TableName: 't' },
                End: true,
              },
            }),
          },
        },
      },
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = () => ['local', 'start-execution', '--app', template, '--store', path.join(dir, 'store')];

test('an unknown state machine: exit 2, the machines listed', () => {
  const r = runCli([...base(), '--state-machine', 'nope']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('BATCHKIT-LOCAL-APP-012');
  expect(r.stderr).toContain('ok (Ok)');
});

test('bad --input: exit 2', () => {
  const r = runCli([...base(), '--state-machine', 'ok', '--input', '{nope']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('BATCHKIT-CLI-LOCAL-021');
});

test('SUCCEEDED: exit 0, output on stdout, transitions on stderr; @file input', () => {
  const input = path.join(dir, 'in.json');
  writeFileSync(input, '{"n": 21}');
  const r = runCli([...base(), '--state-machine', 'Ok', '--input', `@${input}`]);
  expect(r.code).toBe(0);
  expect(r.stdout.trim()).toBe('SUCCEEDED {"doubled":42}');
  expect(r.stderr).toMatch(/s ExecutionStarted\n.*s StateEntered First\n.*s StateExited First\n.*s ExecutionSucceeded/);
  // The execution is stored and listed by `local executions`.
  const list = runCli(['local', 'executions', '--store', path.join(dir, 'store'), '--json']);
  expect(list.code).toBe(0);
  const records = JSON.parse(list.stdout) as Array<{
    status: string;
    output: unknown;
    startedBy: string;
    stateMachineArn: string;
  }>;
  expect(
    records.filter((x) => x.status === 'SUCCEEDED').map((x) => [x.output, x.startedBy, x.stateMachineArn]),
  ).toEqual([[{ doubled: 42 }, 'cli', 'arn:aws:states:us-east-1:123456789012:stateMachine:ok']]);
});

test('an unsupported integration: exit 1, the state and resource named', () => {
  const r = runCli([...base(), '--state-machine', 'ddb']);
  expect(r.code).toBe(1);
  expect(r.stdout.trim()).toBe('FAILED');
  expect(r.stderr).toContain('States.Runtime');
  expect(r.stderr).toContain('state "First": arn:aws:states:::dynamodb:putItem');
});
