/**
 * The guide's array job workflow run end to end locally through the CLI: `batchkit local
 * start-execution` runs the example's state machine on aws-local-stepfunctions, which submits JobA →
 * JobB (array) → JobC (N_TO_N) → JobD (SEQUENTIAL) → JobE to the executor on real containers; the
 * execution SUCCEEDS and the completion rule's SNS notice about JobE is in the outbox.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { ArrayWorkflowStack } from '../../examples/array-workflow/stack';
import { JobImage } from '../../lib';
import { runCli } from '../_helpers/cli';

jest.setTimeout(400_000);

let outdir: string;
let store: string;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'batchkit-array-workflow-'));
  store = mkdtempSync(path.join(tmpdir(), 'batchkit-array-workflow-store-'));
  const app = new App({ outdir });
  new ArrayWorkflowStack(app, 'ArrayWorkflow', { itemCount: 3, image: JobImage.fromRegistry('local/busybox:test') });
  app.synth();
});
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(store, { recursive: true, force: true });
});

test('start-execution: five stages in order, SUCCEEDED, and the SNS notice of JobE in the outbox', () => {
  // JobB asks for 4 vCPUs and JobC for 8 GiB: the caps let them be placed (Docker limits CPUs to the host's).
  const r = runCli(
    [
      'local',
      'start-execution',
      '--app',
      outdir,
      '--state-machine',
      'ArrayWorkflow/Workflow/StateMachine',
      '--store',
      store,
      '--max-vcpus',
      '8',
      '--max-memory',
      '16384',
      '--json',
    ],
    { timeoutMs: 380_000 },
  );
  expect(r.stderr).not.toMatch(/FAILED/);
  expect(r.code).toBe(0);
  const record = JSON.parse(r.stdout) as { status: string; history: Array<{ type: string; state?: string }> };
  expect(record.status).toBe('SUCCEEDED');
  expect(record.history.filter((h) => h.type === 'StateExited').map((h) => h.state)).toEqual([
    'Submit JobA',
    'Submit JobB',
    'Submit JobC',
    'Submit JobD',
    'Submit JobE',
  ]);
  // Each stage's job ended SUCCEEDED (reported on stderr), parents only.
  const ended = [...r.stderr.matchAll(/^job (Job[A-E]) \S+ (SUCCEEDED|FAILED)/gm)].map((m) => `${m[1]} ${m[2]}`);
  expect(ended).toEqual(['JobA SUCCEEDED', 'JobB SUCCEEDED', 'JobC SUCCEEDED', 'JobD SUCCEEDED', 'JobE SUCCEEDED']);
  const outbox = readFileSync(path.join(store, 'app', 'outbox.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; destination: string; message: string; from: string });
  expect(outbox).toHaveLength(1);
  expect(outbox[0].kind).toBe('sns');
  expect(outbox[0].destination).toMatch(/^arn:aws:sns:[a-z0-9-]+:\d{12}:/);
  const notice = JSON.parse(outbox[0].message) as {
    'detail-type': string;
    detail: { jobName: string; status: string };
  };
  expect(notice['detail-type']).toBe('Batch Job State Change');
  expect(notice.detail).toMatchObject({ jobName: 'JobE', status: 'SUCCEEDED' });
});
