/**
 * Seed 003 run locally on real containers through the CLI: `batchkit local run --array-size 5` on
 * the array-completion example runs the app's rule, and its Node.js Lambda function runs exactly
 * once, with the parent's final event (never a child's), reading the parent's statusSummary — also
 * when a child fails (the function then sees FAILED).
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { ArrayCompletionStack } from '../../examples/array-completion/stack';
import { JobImage } from '../../lib';
import { loadBatchModel } from '../../lib/core';
import { runCli } from '../_helpers/cli';

jest.setTimeout(240_000);

let outdir: string;
let queue: string;
const stores: string[] = [];

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'batchkit-array-completion-'));
  const app = new App({ outdir });
  new ArrayCompletionStack(app, 'ArrayCompletion', { image: JobImage.fromRegistry('local/busybox:test') });
  app.synth();
  queue = loadBatchModel(outdir).jobQueues.find((q) => q.priority === 100)!.jobQueueName;
});
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  for (const s of stores) rmSync(s, { recursive: true, force: true });
});

interface Invocation {
  functionName: string;
  trigger: string;
  status: string;
  result: { jobId: string; status: string; size: number; succeeded: number; failed: number };
  logs: string;
}

function run(extra: string[]): {
  code: number;
  stderr: string;
  stdout: string;
  store: string;
  invocations: Invocation[];
} {
  const store = mkdtempSync(path.join(tmpdir(), 'batchkit-array-completion-store-'));
  stores.push(store);
  const r = runCli(
    [
      'local',
      'run',
      '--app',
      outdir,
      '--job-queue',
      queue,
      '--job-definition',
      'array-work',
      '--array-size',
      '5',
      '--store',
      store,
      '--max-vcpus',
      '2',
      '--max-memory',
      '2048',
      ...extra,
    ],
    { timeoutMs: 200_000 },
  );
  const lines = readFileSync(path.join(store, 'app', 'invocations.jsonl'), 'utf8')
    .trim()
    .split('\n');
  return { ...r, store, invocations: lines.map((l) => JSON.parse(l) as Invocation) };
}

test('every child succeeds: the function runs once, with the parent, and reports 5 of 5', () => {
  const r = run([]);
  expect(r.code).toBe(0);
  expect(r.invocations).toHaveLength(1);
  const [call] = r.invocations;
  const parentId = /submitted [^:]+: ([0-9a-f-]{36})/.exec(r.stderr)?.[1];
  expect(call.result).toEqual({
    jobId: parentId,
    jobName: 'array-work',
    status: 'SUCCEEDED',
    size: 5,
    succeeded: 5,
    failed: 0,
  });
  expect(call.status).toBe('Succeeded');
  expect(call.trigger).toMatch(/^rule .+ target /);
  expect(call.logs).toContain(`array job array-work (${parentId}) SUCCEEDED: 5 of 5 children succeeded, 0 failed`);
  expect(r.stderr).toMatch(
    new RegExp(
      String.raw`rules fired:\n {2}\S+ \(\S+\): matched 1 event\(s\)\n {4}tar` +
        String.raw`get \S+: invoked Lambda function \S+ \(asynchronously\)`,
    ),
  );
  expect(r.stderr).toContain("Lambda functions run on this host's node");
  // Queryable afterwards: `local invocations --logs` prints the stored result and log.
  const q = runCli(['local', 'invocations', '--store', r.store, '--logs']);
  expect(q.code).toBe(0);
  expect(q.stdout).toContain(`"status":"SUCCEEDED","size":5,"succeeded":5,"failed":0`);
  expect(q.stdout).toContain(`array job array-work (${parentId}) SUCCEEDED: 5 of 5 children succeeded, 0 failed`);
});

test('a failing child: the function runs once and sees FAILED with 1 failed child', () => {
  const r = run(['--env', 'FAIL_INDEX=2']);
  expect(r.code).toBe(1);
  expect(r.invocations.map((i) => [i.result.status, i.result.succeeded, i.result.failed])).toEqual([['FAILED', 4, 1]]);
});

test('--no-rules: nothing runs around the job', () => {
  const store = mkdtempSync(path.join(tmpdir(), 'batchkit-array-completion-store-'));
  stores.push(store);
  const r = runCli(
    [
      'local',
      'run',
      '--app',
      outdir,
      '--job-queue',
      queue,
      '--job-definition',
      'array-work',
      '--array-size',
      '2',
      '--store',
      store,
      '--max-vcpus',
      '2',
      '--no-rules',
    ],
    { timeoutMs: 200_000 },
  );
  expect(r.code).toBe(0);
  expect(r.stderr).not.toContain('rules fired');
  expect(r.stderr).not.toContain('rules on');
});
