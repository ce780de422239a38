/**
 * loadBatchModel on hostile and degenerate inputs: coded errors that name the file, the resource and
 * the limit or the cycle, never the file's content; nested templates read once.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadBatchModel } from '../../../lib/core/assembly';
import { isBatchkitError, type BatchkitError } from '../../../lib/core/errors';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-hostile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function loadError(p: string, options = {}): BatchkitError {
  try {
    loadBatchModel(p, options);
  } catch (e) {
    if (isBatchkitError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

test('two nested stacks that include each other: BATCHKIT-ASSEMBLY-006 naming the chain of stacks and files', () => {
  const a = write(
    'a.yaml',
    'Resources:\n  ToB:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./b.yaml\n',
  );
  write(
    'b.yaml',
    'Resources:\n  ToA:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./a.yaml\n',
  );
  const e = loadError(a);
  expect(e.code).toBe('BATCHKIT-ASSEMBLY-006');
  expect(e.message).toContain(
    `${path.join(dir, 'b.yaml')}, resource "ToA": nested stacks include ` +
      `each other in a cycle: a (${dir}/a.yaml) → a/ToB (${dir}/b.yaml) → a/ToB/ToA (${dir}/a.yaml).`,
  );
});

test(
  'one template used by two sibling nested stacks is loaded for each ' + '(distinct names), not taken for a cycle',
  () => {
    const root = write(
      'root.yaml',
      [
        'Resources:',
        ...['Blue', 'Green'].flatMap((id) => [
          `  ${id}:`,
          '    Type: AWS::CloudFormation::Stack',
          '    Properties:',
          '      TemplateURL: ./queue.yaml',
          '      Parameters:',
          `        Name: ${id.toLowerCase()}`,
        ]),
      ].join('\n'),
    );
    write(
      'queue.yaml',
      'Parameters:\n  Name: { Type: String }\nResources:\n  Q:\n    Type: ' +
        'AWS::Batch::JobQueue\n    Properties:\n      JobQueueName: !Sub q-' +
        '${Name}\n      Priority: 1\n      ComputeEnvironmentOrder: []\n',
    );
    const model = loadBatchModel(root);
    expect(model.jobQueues.map((q) => [q.jobQueueName, q.source?.stack])).toEqual([
      ['q-blue', 'root/Blue'],
      ['q-green', 'root/Green'],
    ]);
  },
);

test(
  'intrinsic functions nested beyond the limit: BATCHKIT-ASSEMBLY-009 ' +
    'naming the resource, the property and the limit',
  () => {
    let v = '"x"';
    for (let i = 0; i < 101; i++) v = `{"Fn::Base64":${v}}`;
    const file = write(
      'deep.json',
      `{"Resources":{"Job":{"Type":"AWS::Batch::JobDefinition",` +
        `"Properties":{"Type":"container","ContainerProperties":{"Image":${v}}}}}}`,
    );
    const e = loadError(file);
    expect(e.code).toBe('BATCHKIT-ASSEMBLY-009');
    expect(e.message).toContain(
      `${file}, resource "Job", property Properties.ContainerProperties.Image…: intrinsic functions are nested ` +
        `more than 100 calls deep; the loader's limit is 100.`,
    );
  },
);

test('a file that is not JSON: the error names the file and the reason, not the content', () => {
  const file = write('template.json', 'password=hunter2-very-secret\n');
  const e = loadError(file);
  expect(e.code).toBe('BATCHKIT-ASSEMBLY-003');
  expect(e.message).toContain(`template ${file} is not valid JSON`);
  expect(e.message).not.toContain('hunter2');
  const bad = write('bad.json', '{"Resources": {"A": "hunter2-very-secret" "B"}}');
  const e2 = loadError(bad);
  expect(e2.message).toContain(`template ${bad} is not valid JSON at line 1, column 43: a missing comma or bracket.`);
  expect(e2.message).not.toContain('hunter2');
});

test('a YAML error does not quote the offending value', () => {
  const file = write('t.yaml', 'Resources:\n  A: 1\n  A: "hunter2-very-secret"\n  - x\n');
  const e = loadError(file);
  expect(e.code).toBe('BATCHKIT-ASSEMBLY-003');
  expect(e.message).toContain(`template ${file} is not valid YAML at line`);
  expect(e.message).not.toContain('hunter2');
});
