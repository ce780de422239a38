/**
 * The print-color tutorial run locally: the synthesized assembly is loaded by batchkit's core
 * loader, the Dockerfile asset is built on the real Docker engine, and a 7-child array job prints
 * one colour per child, as the guide's tutorial expects.
 */
import { randomUUID } from 'crypto';
import { PrintColorStack } from '../../examples/print-color/stack';
import { LocalExecutor } from '../../lib/local/executor';
import { DockerRuntime } from '../../lib/local/runtime/docker-runtime';
import { type SynthesizedExample, synthExample } from './_harness';

jest.setTimeout(180_000);

let ex: SynthesizedExample<PrintColorStack>;
let executor: LocalExecutor;
let runtime: DockerRuntime;
const runId = `print-color-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  ex = synthExample((app) => new PrintColorStack(app, 'PrintColor'));
  runtime = new DockerRuntime({ assets: ex.model.dockerImageAssets });
  executor = await LocalExecutor.open({
    model: ex.model,
    runtime,
    storeDir: ':memory:',
    maxVcpus: 2,
    maxMemoryMiB: 2048,
    runId,
  });
});

afterAll(async () => {
  await executor?.close();
  await runtime?.reap(runId);
  ex?.cleanup();
});

test('an array job of 7 on the high-priority queue: child i prints line i+1 of colors.txt', async () => {
  const queue = ex.model.jobQueues.find((q) => q.priority === 100);
  expect(queue).toBeDefined();
  const { jobId } = executor.submitJob({
    jobName: 'print-color',
    jobQueue: queue!.jobQueueName,
    jobDefinition: 'print-color',
    arrayProperties: { size: 7 },
  });
  const parent = await executor.waitForJob(jobId);
  expect(parent.status).toBe('SUCCEEDED');
  expect(parent.arrayProperties?.statusSummary).toMatchObject({ SUCCEEDED: 7, FAILED: 0 });
  const lines = Array.from({ length: 7 }, (_, i) =>
    executor
      .logs(`${jobId}:${i}`)
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.replace(/^\S+ (stdout|stderr) /, '')),
  );
  expect(lines).toEqual(
    ['red', 'orange', 'yellow', 'green', 'blue', 'indigo', 'violet'].map((c) => [
      `My favorite color of the rainbow is ${c}.`,
    ]),
  );
});
