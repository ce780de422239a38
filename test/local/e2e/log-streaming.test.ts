/**
 * Live logs on the real engine: lines reach `onLog` listeners and the store while the container
 * runs, and the stored log equals what the engine keeps for the container (`docker logs`).
 */
import type {
  ContainerRuntime,
  ContainerSpec,
  FoundContainer,
  PreparedContainer,
  RunningContainer,
} from '../../../lib/local/runtime/container-runtime';
import { DockerRuntime } from '../../../lib/local/runtime/docker-runtime';
import { LocalExecutor, type JobLogLine } from '../../../lib/local/executor';
import { def, model } from './support';

/**
 * The Docker runtime, keeping each container's full `docker logs` text once it exited (before its outcome is
 * recorded).
 */
class RecordingRuntime implements ContainerRuntime {
  readonly engineLogs = new Map<string, string>();
  constructor(readonly inner: DockerRuntime) {}
  ping(): Promise<void> {
    return this.inner.ping();
  }
  list(runId?: string): Promise<FoundContainer[]> {
    return this.inner.list(runId);
  }
  async prepare(spec: ContainerSpec): Promise<PreparedContainer> {
    const p = await this.inner.prepare(spec);
    return { id: p.id, remove: () => p.remove(), start: async () => this.wrap(spec.jobId, await p.start()) };
  }
  private wrap(jobId: string, c: RunningContainer): RunningContainer {
    return {
      id: c.id,
      wait: async () => {
        const exit = await c.wait();
        this.engineLogs.set(jobId, await c.logs());
        return exit;
      },
      kill: (s) => c.kill(s),
      logs: () => c.logs(),
      followLogs: c.followLogs?.bind(c),
      remove: () => c.remove(),
    };
  }
}

const runtime = new RecordingRuntime(new DockerRuntime());
let executor: LocalExecutor;

beforeAll(async () => {
  executor = await LocalExecutor.open({
    model: model([
      def('slow-printer', [
        'sh',
        '-c',
        'echo first; sleep 3; echo second; sleep 0.2; echo "to stderr" >&2; sleep 0.2; printf "no newline"',
      ]),
      def('chatty', ['sh', '-c', 'i=0; while [ $i -lt 3000 ]; do echo "line $i"; i=$((i+1)); done; echo done >&2']),
      def('long-line', ['sh', '-c', "head -c 614400 /dev/zero | tr '\\0' x; echo; echo after"]),
    ]),
    runtime,
    storeDir: ':memory:',
    maxVcpus: 2,
    maxMemoryMiB: 4096,
  });
});

afterAll(async () => {
  await executor.close();
});

test(
  'a line reaches onLog while the job runs, seconds before it is final; ' + 'the stored log equals docker logs',
  async () => {
    const seen: Array<{ line: JobLogLine; at: number; status: string }> = [];
    const off = executor.onLog((line) =>
      seen.push({ line, at: Date.now(), status: executor.describeJobs([line.jobId])[0].status }),
    );
    const { jobId } = executor.submitJob({ jobName: 'printer', jobQueue: 'q', jobDefinition: 'slow-printer' });
    const d = await executor.waitForJob(jobId);
    const finalAt = Date.now();
    off();
    expect(d.status).toBe('SUCCEEDED');
    const first = seen.find((s) => s.line.message === 'first')!;
    expect(first.status).toBe('RUNNING');
    expect(finalAt - first.at).toBeGreaterThanOrEqual(2500);
    expect(seen.map((s) => [s.line.stream, s.line.message])).toEqual([
      ['stdout', 'first'],
      ['stdout', 'second'],
      ['stderr', 'to stderr'],
      ['stdout', 'no newline'],
    ]);
    expect(first.line).toMatchObject({ jobId, attempt: 1, logStreamName: d.attempts![0].container!.logStreamName });
    expect(first.line.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$/);
    expect(executor.logs(jobId)).toBe(runtime.engineLogs.get(jobId));
  },
);

test('a job writing thousands of lines quickly: every line stored once, in order, equal to docker logs', async () => {
  const { jobId } = executor.submitJob({ jobName: 'chatty', jobQueue: 'q', jobDefinition: 'chatty' });
  const d = await executor.waitForJob(jobId);
  expect(d.status).toBe('SUCCEEDED');
  const stored = executor.logs(jobId);
  expect(stored).toBe(runtime.engineLogs.get(jobId));
  const out = stored
    .split('\n')
    .filter((l) => / stdout /.test(l))
    .map((l) => l.replace(/^\S+ stdout /, ''));
  expect(out).toEqual(Array.from({ length: 3000 }, (_, i) => `line ${i}`));
  expect(stored).toMatch(/ stderr done\n/);
});

test(
  'a 600 KiB line is stored as 3 events (at most 256 KiB each, as awslogs ' + 'splits) whose concatenation is the line',
  async () => {
    const seen: JobLogLine[] = [];
    const off = executor.onLog((line) => seen.push(line));
    const { jobId } = executor.submitJob({ jobName: 'long', jobQueue: 'q', jobDefinition: 'long-line' });
    const d = await executor.waitForJob(jobId);
    off();
    expect(d.status).toBe('SUCCEEDED');
    const events = [...executor.logEvents(jobId)];
    expect(events.map((e) => Buffer.byteLength(e.message))).toEqual([262_118, 262_118, 614_400 - 2 * 262_118, 5]);
    expect(
      events
        .slice(0, 3)
        .map((e) => e.message)
        .join(''),
    ).toBe('x'.repeat(614_400));
    expect(events[3].message).toBe('after');
    // The engine stamps each 16 KiB piece; the pieces' stamps are not in the line, the events share the line's.
    expect(new Set(events.slice(0, 3).map((e) => e.timestamp)).size).toBe(1);
    expect(seen.filter((l) => l.jobId === jobId).map((l) => l.message)).toEqual(events.map((e) => e.message));
    expect(executor.logs(jobId)).toBe(runtime.engineLogs.get(jobId));
  },
);
