/**
 * The Docker runtime on the real engine with the busybox test image.
 */
import { createServer, connect, type Server, type Socket } from 'net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  LABELS,
  PrepareError,
  type ContainerExit,
  type ContainerSpec,
} from '../../../lib/local/runtime/container-runtime';
import { DockerRuntime } from '../../../lib/local/runtime/docker-runtime';
import { spec, testRunId } from './support';

const runtime = new DockerRuntime();
const runId = testRunId('rt');

afterAll(async () => {
  await runtime.reap(runId);
});

/** Runs `s` to its end; returns the exit and the log text, and removes the container. */
async function run(s: ContainerSpec): Promise<{ exit: ContainerExit; logs: string }> {
  const prepared = await runtime.prepare(s);
  const running = await prepared.start();
  const exit = await running.wait();
  const logs = await running.logs();
  await running.remove();
  return { exit, logs };
}

/** The log lines' messages of one stream. */
function lines(logs: string, stream: 'stdout' | 'stderr'): string[] {
  return logs
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => /^\S+ (stdout|stderr) (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === stream)
    .map((m) => m[2]);
}

test('ping answers, and the host reports its CPUs and memory', async () => {
  await expect(runtime.ping()).resolves.toBeUndefined();
  const host = await runtime.hostResources();
  expect(host.cpus).toBeGreaterThanOrEqual(1);
  expect(host.memoryMiB).toBeGreaterThan(256);
  expect(host.gpus).toBe(0);
});

test('exit codes, stdout and stderr kept apart, with timestamps', async () => {
  const { exit, logs } = await run(spec(runId, ['sh', '-c', 'echo out-1; echo err-1 >&2; echo out-2; exit 3']));
  expect(exit).toEqual({ exitCode: 3, oomKilled: false });
  expect(lines(logs, 'stdout')).toEqual(['out-1', 'out-2']);
  expect(lines(logs, 'stderr')).toEqual(['err-1']);
  // stdout and stderr are separate pipes: their relative order is not defined, each line is stamped.
  expect(logs.split('\n').find((l) => l.endsWith('out-1'))).toMatch(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z stdout out-1$/,
  );
});

test('environment, user and the memory limit reach the container', async () => {
  const { exit, logs } = await run(
    spec(
      runId,
      [
        'sh',
        '-c',
        'echo "$GREETING $AWS_BATCH_JOB_ATTEMPT"; id -u; id -g; cat ' +
          '/sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max',
      ],
      {
        environment: { GREETING: 'hello world', AWS_BATCH_JOB_ATTEMPT: '1' },
        user: '65534:65534',
        memoryMiB: 48,
      },
    ),
  );
  expect(exit.exitCode).toBe(0);
  expect(lines(logs, 'stdout')).toEqual(['hello world 1', '65534', '65534', String(48 * 1024 * 1024)]);
});

test('a container over its memory limit is OOM-killed: exit 137 and oomKilled', async () => {
  // The short sleep first: an OOM in the container's first milliseconds can beat containerd's OOM
  // watcher (cgroup v1), and the engine then reports a plain exit 137 (see the scheduler README).
  const { exit } = await run(
    spec(runId, ['sh', '-c', 'sleep 0.2; dd if=/dev/zero bs=64M count=1 of=/dev/null'], { memoryMiB: 16 }),
  );
  expect(exit).toEqual({ exitCode: 137, oomKilled: true });
});

test('read-only root, ulimits, tmpfs, shared memory, init and no network', async () => {
  const { exit, logs } = await run(
    spec(
      runId,
      [
        'sh',
        '-c',
        [
          'touch /root-file 2>/dev/null && echo root-writable || echo root-readonly',
          'echo x > /scratch/f && echo tmpfs-writable',
          'ulimit -n',
          'df -m /dev/shm | tail -1 | awk \'{print "shm=" $2}\'',
          'cat /proc/1/comm',
          "ls /sys/class/net | tr '\\n' ' '",
        ].join('; '),
      ],
      {
        readonlyRootFilesystem: true,
        ulimits: [{ name: 'nofile', soft: 256, hard: 512 }],
        tmpfs: { '/scratch': 'size=8m' },
        sharedMemoryMiB: 32,
        init: true,
      },
    ),
  );
  expect(exit.exitCode).toBe(0);
  expect(lines(logs, 'stdout')).toEqual(['root-readonly', 'tmpfs-writable', '256', 'shm=32', 'docker-init', 'lo ']);
});

test('host mount points, read-only and read-write', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'batchkit-rt-'));
  try {
    writeFileSync(path.join(dir, 'in.txt'), 'from-host\n');
    const { exit, logs } = await run(
      spec(
        runId,
        ['sh', '-c', 'cat /in/in.txt; echo x > /in/w 2>/dev/null || echo in-readonly; echo written > /out/result.txt'],
        {
          mounts: [
            { hostPath: dir, containerPath: '/in', readOnly: true },
            { hostPath: dir, containerPath: '/out' },
          ],
        },
      ),
    );
    expect(exit.exitCode).toBe(0);
    expect(lines(logs, 'stdout')).toEqual(['from-host', 'in-readonly']);
    expect(readFileSync(path.join(dir, 'result.txt'), 'utf8')).toBe('written\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('containers carry the run, job and attempt labels and list() finds them, running or not', async () => {
  const s = spec(runId, ['sleep', '30'], { attempt: 3, labels: { extra: 'yes' } });
  const running = await (await runtime.prepare(s)).start();
  try {
    const found = (await runtime.list(runId)).find((c) => c.id === running.id);
    expect(found).toBeDefined();
    expect(found?.running).toBe(true);
    expect(found?.labels).toMatchObject({
      [LABELS.managed]: 'true',
      [LABELS.runId]: runId,
      [LABELS.jobId]: s.jobId,
      [LABELS.attempt]: '3',
      extra: 'yes',
    });
    // SIGTERM through a re-attached handle ends it like a new process would see it.
    await found?.attach().kill('SIGKILL');
    expect(await running.wait()).toEqual({ exitCode: 137, oomKilled: false });
    const after = (await runtime.list(runId)).find((c) => c.id === running.id);
    expect(after?.running).toBe(false);
  } finally {
    await running.remove();
  }
  expect((await runtime.list(runId)).some((c) => c.id === running.id)).toBe(false);
});

test('SIGTERM reaches a process that traps it; kill after exit is a no-op', async () => {
  const s = spec(runId, [
    'sh',
    '-c',
    'trap "echo got-term; exit 143" TERM; echo ready; while true; do sleep 0.1; done',
  ]);
  const running = await (await runtime.prepare(s)).start();
  await waitForLog(running, 'ready');
  await running.kill('SIGTERM');
  expect(await running.wait()).toEqual({ exitCode: 143, oomKilled: false });
  expect(lines(await running.logs(), 'stdout')).toEqual(['ready', 'got-term']);
  await expect(running.kill('SIGKILL')).resolves.toBeUndefined();
  await running.remove();
  await expect(running.remove()).resolves.toBeUndefined();
});

test('a missing image fails prepare with image-not-found naming the image', async () => {
  const err = await runtime.prepare(spec(runId, ['true'], { image: 'nope/never-built:1' })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PrepareError);
  expect((err as PrepareError).failure.kind).toBe('image-not-found');
  expect((err as PrepareError).message).toMatch(
    new RegExp(
      String.raw`^Error response from daemon: No such image: nope\/never-buil` +
        String.raw`t:1: image nope\/never-built:1 is not on the local Docker en` +
        String.raw`gine`,
    ),
  );
});

test('a command that does not exist: start gives an exit with the CannotStartContainerError text', async () => {
  const { exit } = await run(spec(runId, ['no-such-command']));
  expect(exit.exitCode).toBe(127);
  expect(exit.error).toMatch(
    new RegExp(
      String.raw`^CannotStartContainerError: Error response from daemon: .*ex` +
        String.raw`ec: "no-such-command": executable file not found`,
    ),
  );
});

test('a GPU job is refused with a reason on a host without GPUs; a bad device permission too', async () => {
  const gpu = await runtime.prepare(spec(runId, ['true'], { gpus: 1 })).catch((e: unknown) => e);
  expect((gpu as PrepareError).failure).toEqual({
    kind: 'create-failed',
    message: expect.stringMatching(/reserves 1 GPU\(s\) but this Docker host has 0/),
  });
  const dev = await runtime
    .prepare(spec(runId, ['true'], { devices: [{ hostPath: '/dev/null', permissions: 'EXEC' }] }))
    .catch((e: unknown) => e);
  expect((dev as PrepareError).failure.kind).toBe('create-failed');
  expect((dev as PrepareError).message).toMatch(/"EXEC" is not one of READ, WRITE, MKNOD/);
});

test('an engine that is down gives BATCHKIT-DOCKER-001 at ping and engine-unavailable at prepare', async () => {
  const down = new DockerRuntime({ socketPath: path.join(tmpdir(), 'batchkit-no-engine.sock'), pingTimeoutMs: 1000 });
  const err = await down.ping().catch((e: unknown) => e);
  expect(err).toMatchObject({ name: 'BatchkitError', code: 'BATCHKIT-DOCKER-001', kind: 'environment' });
  expect((err as Error).message).toMatch(
    new RegExp(
      String.raw`^Docker engine not reachable at .*batchkit-no-engine\.sock: ` +
        String.raw`connect ENOENT \S+batchkit-no-engine\.sock\. Fix: start it \(` +
        String.raw`scripts\/dev-setup\.sh\) or set DOCKER_HOST`,
    ),
  );
  const prep = await down.prepare(spec(runId, ['true'])).catch((e: unknown) => e);
  expect((prep as PrepareError).failure.kind).toBe('engine-unavailable');
});

test(
  'an engine that goes away while a container runs rejects wait() with ' + 'BATCHKIT-DOCKER-002 instead of hanging',
  async () => {
    const proxy = await socketProxy('/var/run/docker.sock');
    try {
      const via = new DockerRuntime({ socketPath: proxy.path, heartbeatMs: 100 });
      const running = await (await via.prepare(spec(runId, ['sleep', '30']))).start();
      const waiting = running.wait();
      await new Promise((r) => setTimeout(r, 200));
      proxy.cut();
      const err = await waiting.catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'BATCHKIT-DOCKER-002', kind: 'environment' });
      expect((err as Error).message).toMatch(/went away while container [0-9a-f]{12} was running/);
    } finally {
      proxy.cut();
      await runtime.reap(runId);
    }
  },
);

async function waitForLog(running: { logs(): Promise<string> }, text: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await running.logs()).includes(text)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`"${text}" never appeared in the logs`);
}

/** A unix-socket proxy to the engine that can be cut, like an engine going away. */
async function socketProxy(target: string): Promise<{ path: string; cut(): void }> {
  const sockPath = path.join(tmpdir(), `batchkit-proxy-${process.pid}-${Date.now()}.sock`);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(sockPath, resolve));
  let cut = false;
  return {
    path: sockPath,
    cut: () => {
      if (cut) return;
      cut = true;
      server.close();
      for (const s of sockets) s.destroy();
      rmSync(sockPath, { force: true });
    },
  };
}
