/**
 * Crash consistency of `batchkit local serve` on the real Docker engine: a bounded loop starts the
 * built CLI on one store, submits a mix of jobs through the Batch API (single jobs that succeed and
 * fail, an array with an N_TO_N dependant, a job retried once, a job stopped by its timeout), and
 * stops the server with SIGKILL or SIGTERM at a random (seeded) moment; then starts it again on the
 * same store. After the last start it waits for every job and checks the invariants:
 *  - every acknowledged (HTTP 200) job exists, once, after each restart;
 *  - each reaches its true final state (status, exit codes, number of attempts, reasons);
 *  - no container was started twice for one attempt (from the engine's `start` events), and every
 *    started attempt is recorded;
 *  - array summaries equal the children's states.
 * Used by `npm run soak` (bench/soak.ts) and, with a few runs, by the Jest suite.
 */
import { spawn, type ChildProcess } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import Dockerode from 'dockerode';

/** Options of {@link runCrashSoak}. */
export interface CrashSoakOptions {
  /** Stop/start cycles before the final start. */
  readonly runs: number;
  /** Seed of the random stop moments and signals. */
  readonly seed: number;
  /** The built CLI (`dist/bin/batchkit.js`). */
  readonly cli: string;
  /** An empty working directory (template and store go there). */
  readonly workDir: string;
  /** Container image with `sh` and `sleep`. @default 'local/busybox:test' */
  readonly image?: string;
  /** Longest time to wait for every job to end after the last start, in ms. @default 240000 */
  readonly finalTimeoutMs?: number;
  /** Progress lines. @default - silent */
  readonly log?: (line: string) => void;
}

/** What a soak measured and found. */
export interface CrashSoakReport {
  readonly runs: number;
  readonly sigkills: number;
  readonly sigterms: number;
  /** Jobs answered 200 (array children not counted). */
  readonly acknowledged: number;
  /** SubmitJob requests cut off by a stop (no answer). */
  readonly unanswered: number;
  /** Containers started (engine `start` events of this soak's jobs). */
  readonly containersStarted: number;
  /** Restart recovery totals as the server printed them. */
  readonly reattached: number;
  readonly finishedWhileStopped: number;
  readonly vanished: number;
  /** Longest time from SIGTERM to the process's exit, ms. */
  readonly maxSigtermExitMs: number;
  /** Time from the last start until every job ended, ms. */
  readonly settleMs: number;
  /** Broken invariants, one line each (empty when all held). */
  readonly violations: string[];
}

type Kind = 'ok' | 'fails' | 'array' | 'nToN' | 'retried' | 'timeout';

interface Acked {
  readonly jobId: string;
  readonly kind: Kind;
}

interface JobView {
  jobId: string;
  status: string;
  statusReason?: string;
  container?: { exitCode?: number };
  attempts?: Array<{ container?: { exitCode?: number } }>;
  arrayProperties?: { size?: number; statusSummary?: Record<string, number> };
}

const ARRAY_SIZE = 2;
const TIMEOUT_REASON = 'Job attempt duration exceeded timeout';

/** mulberry32: a small seeded generator. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function template(image: string): Record<string, unknown> {
  const def = (name: string, script: string, extra: Record<string, unknown> = {}) => ({
    Type: 'AWS::Batch::JobDefinition',
    Properties: {
      Type: 'container',
      JobDefinitionName: name,
      ContainerProperties: {
        Image: image,
        Command: ['sh', '-c', script],
        ResourceRequirements: [
          { Type: 'VCPU', Value: '1' },
          { Type: 'MEMORY', Value: '32' },
        ],
      },
      ...extra,
    },
  });
  return {
    Resources: {
      CE: {
        Type: 'AWS::Batch::ComputeEnvironment',
        Properties: {
          Type: 'MANAGED',
          ComputeEnvironmentName: 'soak-ce',
          ComputeResources: {
            Type: 'EC2',
            MaxvCpus: 4,
            MinvCpus: 0,
            InstanceTypes: ['optimal'],
            Subnets: ['subnet-1'],
            InstanceRole: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
          },
        },
      },
      Queue: {
        Type: 'AWS::Batch::JobQueue',
        Properties: {
          JobQueueName: 'soak',
          Priority: 1,
          ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: { Ref: 'CE' } }],
        },
      },
      Ok: def('soak-ok', 'echo ok; sleep 1'),
      Fails: def('soak-fails', 'sleep 1; exit 3'),
      // Fails on its first attempt, succeeds on the second.
      Retried: def('soak-retried', 'sleep 1; [ "$AWS_BATCH_JOB_ATTEMPT" = 2 ]', { RetryStrategy: { Attempts: 2 } }),
      // Runs until its timeout (60 s, 6 s with --time-scale 10) stops it.
      Timeout: def('soak-timeout', 'sleep 3600', { Timeout: { AttemptDurationSeconds: 60 } }),
    },
  };
}

/** One `batchkit local serve` process. */
class Server {
  readonly child: ChildProcess;
  stderr = '';
  private stdout = '';
  readonly exited: Promise<void>;

  constructor(cli: string, cwd: string, store: string) {
    this.child = spawn(
      process.execPath,
      [
        cli,
        'local',
        'serve',
        '--app',
        'template.json',
        '--port',
        '0',
        '--store',
        store,
        '--max-vcpus',
        '4',
        '--max-memory',
        '2048',
        '--time-scale',
        '10',
        '--json',
      ],
      { cwd },
    );
    this.child.stdout?.on('data', (d: Buffer) => (this.stdout += d.toString('utf8')));
    this.child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.on('exit', () => resolve()));
  }

  /** The endpoint once the server listens. */
  async url(timeoutMs = 60_000): Promise<string> {
    for (const t0 = Date.now(); Date.now() - t0 < timeoutMs;) {
      const m = /\{.*\}\n/.exec(this.stdout);
      if (m) return (JSON.parse(m[0]) as { url: string }).url;
      if (this.child.exitCode !== null) break;
      await sleep(50);
    }
    throw new Error(`batchkit local serve did not start: ${this.stderr}`);
  }

  /** Recovery counts the server printed at start. */
  recovery(): { reattached: number; finished: number; gone: number } {
    const m = new RegExp(
      String.raw`recovered the job store: (\d+) running container\(s\) re-att` +
        String.raw`ached, (\d+) finished while stopped, (\d+) gone`,
    ).exec(this.stderr);
    return m
      ? { reattached: Number(m[1]), finished: Number(m[2]), gone: Number(m[3]) }
      : { reattached: 0, finished: 0, gone: 0 };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function call<T>(url: string, operation: string, body: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${url}/v1/${operation.toLowerCase()}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

async function describe(url: string, ids: readonly string[]): Promise<Map<string, JobView>> {
  const out = new Map<string, JobView>();
  for (let i = 0; i < ids.length; i += 100) {
    const r = await call<{ jobs: JobView[] }>(url, 'DescribeJobs', { jobs: ids.slice(i, i + 100) });
    for (const j of r.json.jobs ?? []) out.set(j.jobId, j);
  }
  return out;
}

/** Every job id ListJobs shows for the queue, all statuses, with duplicates kept. */
async function listAll(url: string): Promise<string[]> {
  const ids: string[] = [];
  for (const jobStatus of ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED', 'FAILED']) {
    let nextToken: string | undefined;
    do {
      const r = await call<{ jobSummaryList: Array<{ jobId: string }>; nextToken?: string }>(url, 'ListJobs', {
        jobQueue: 'soak',
        jobStatus,
        nextToken,
      });
      ids.push(...r.json.jobSummaryList.map((j) => j.jobId));
      nextToken = r.json.nextToken;
    } while (nextToken);
  }
  return ids;
}

/** Submits one round of the mix; stops at the first request that gets no answer (the server was stopped). */
async function submitMix(url: string, acked: Acked[], onUnanswered: () => void): Promise<void> {
  const submit = async (kind: Kind, body: Record<string, unknown>): Promise<string | undefined> => {
    try {
      const r = await call<{ jobId: string }>(url, 'SubmitJob', { jobName: `soak-${kind}`, jobQueue: 'soak', ...body });
      if (r.status !== 200) throw new Error(`SubmitJob ${kind} answered ${r.status}: ${JSON.stringify(r.json)}`);
      acked.push({ jobId: r.json.jobId, kind });
      return r.json.jobId;
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('SubmitJob')) throw e;
      onUnanswered();
      return undefined;
    }
  };
  if (!(await submit('ok', { jobDefinition: 'soak-ok' }))) return;
  if (!(await submit('fails', { jobDefinition: 'soak-fails' }))) return;
  const array = await submit('array', { jobDefinition: 'soak-ok', arrayProperties: { size: ARRAY_SIZE } });
  if (!array) return;
  if (
    !(await submit('nToN', {
      jobDefinition: 'soak-ok',
      arrayProperties: { size: ARRAY_SIZE },
      dependsOn: [{ jobId: array, type: 'N_TO_N' }],
    }))
  )
    return;
  if (!(await submit('retried', { jobDefinition: 'soak-retried' }))) return;
  await submit('timeout', { jobDefinition: 'soak-timeout' });
}

/** The true final state of each kind; undefined when the job is as expected. */
function wrongState(kind: Kind, d: JobView): string | undefined {
  const exits = (d.attempts ?? []).map((a) => a.container?.exitCode);
  const expect = (ok: boolean, what: string) =>
    ok
      ? undefined
      : `${kind} ${d.jobId}: expected ${what}, got ${d.status} (` +
        `${d.statusReason ?? ''}) exits ${JSON.stringify(exits)}`;
  switch (kind) {
    case 'ok':
      return expect(
        d.status === 'SUCCEEDED' && JSON.stringify(exits) === '[0]',
        'SUCCEEDED after one attempt exiting 0',
      );
    case 'fails':
      return expect(d.status === 'FAILED' && JSON.stringify(exits) === '[3]', 'FAILED after one attempt exiting 3');
    case 'retried':
      return expect(
        d.status === 'SUCCEEDED' && JSON.stringify(exits) === '[1,0]',
        'SUCCEEDED after attempts exiting 1 then 0',
      );
    case 'timeout':
      return expect(
        d.status === 'FAILED' && d.statusReason === TIMEOUT_REASON && exits.length === 1,
        `FAILED with "${TIMEOUT_REASON}" after one attempt`,
      );
    case 'array':
    case 'nToN':
      return expect(
        d.status === 'SUCCEEDED' &&
          JSON.stringify(d.arrayProperties?.statusSummary ?? {}).includes(`"SUCCEEDED":${ARRAY_SIZE}`),
        `SUCCEEDED with ${ARRAY_SIZE} children SUCCEEDED`,
      );
  }
}

/** Runs the soak; never throws for a broken invariant (see `violations`). */
export async function runCrashSoak(options: CrashSoakOptions): Promise<CrashSoakReport> {
  const log = options.log ?? (() => undefined);
  const rnd = random(options.seed);
  const docker = new Dockerode();
  const store = path.join(options.workDir, 'store');
  mkdirSync(options.workDir, { recursive: true });
  writeFileSync(
    path.join(options.workDir, 'template.json'),
    JSON.stringify(template(options.image ?? 'local/busybox:test')),
  );
  const violations: string[] = [];
  const acked: Acked[] = [];
  let unanswered = 0;
  const totals = { sigkills: 0, sigterms: 0, reattached: 0, finished: 0, vanished: 0, maxSigtermExitMs: 0 };

  // Every container start of this soak: job id + attempt (labels), from the engine's event stream.
  const starts = new Map<string, number>();
  const events = (await docker.getEvents({
    filters: { type: ['container'], event: ['start'], label: ['batchkit.managed=true'] },
  })) as NodeJS.ReadableStream & { destroy(): void };
  let pending = '';
  events.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const l of lines.filter(Boolean)) {
      const attrs = (JSON.parse(l) as { Actor?: { Attributes?: Record<string, string> } }).Actor?.Attributes ?? {};
      const key = `${attrs['batchkit.job-id']}@${attrs['batchkit.attempt']}`;
      starts.set(key, (starts.get(key) ?? 0) + 1);
    }
  });

  const checkAllExist = async (url: string, when: string): Promise<void> => {
    const seen = await describe(
      url,
      acked.map((a) => a.jobId),
    );
    for (const a of acked)
      if (!seen.has(a.jobId)) violations.push(`${when}: acknowledged ${a.kind} job ${a.jobId} is missing`);
  };

  try {
    for (let run = 0; run < options.runs; run++) {
      const server = new Server(options.cli, options.workDir, store);
      const url = await server.url();
      const r = server.recovery();
      totals.reattached += r.reattached;
      totals.finished += r.finished;
      totals.vanished += r.gone;
      if (run > 0) await checkAllExist(url, `after restart ${run}`);
      // The stop comes at a random moment from the server's start: during the submissions, container
      // creation, the runs or the records of their ends.
      const stopAfter = Math.floor(rnd() * 4000);
      const signal: NodeJS.Signals = rnd() < 0.5 ? 'SIGKILL' : 'SIGTERM';
      let t0 = 0;
      const stopped = sleep(stopAfter).then(() => {
        t0 = Date.now();
        server.child.kill(signal);
      });
      await submitMix(url, acked, () => (unanswered += 1)).catch((e: unknown) =>
        violations.push(`run ${run}: ${(e as Error).message}`),
      );
      await stopped;
      if (signal === 'SIGKILL') totals.sigkills++;
      else totals.sigterms++;
      const exited = await Promise.race([server.exited.then(() => true), sleep(15_000).then(() => false)]);
      if (!exited) {
        violations.push(`run ${run}: the server was still alive 15 s after ${signal}`);
        server.child.kill('SIGKILL');
        await server.exited;
      }
      if (signal === 'SIGTERM') totals.maxSigtermExitMs = Math.max(totals.maxSigtermExitMs, Date.now() - t0);
      log(`run ${run + 1}/${options.runs}: ${signal} after ${stopAfter} ms; ${acked.length} jobs acknowledged so far`);
    }

    const server = new Server(options.cli, options.workDir, store);
    const url = await server.url();
    const r = server.recovery();
    totals.reattached += r.reattached;
    totals.finished += r.finished;
    totals.vanished += r.gone;
    const t0 = Date.now();
    await checkAllExist(url, 'after the last restart');
    const ids = acked.map((a) => a.jobId);
    let final = new Map<string, JobView>();
    for (;;) {
      final = await describe(url, ids);
      if ([...final.values()].every((d) => d.status === 'SUCCEEDED' || d.status === 'FAILED')) break;
      if (Date.now() - t0 > (options.finalTimeoutMs ?? 240_000)) {
        violations.push(
          `jobs not final ${options.finalTimeoutMs ?? 240_000} ms after the last start: ` +
            `${[...final.values()]
              .filter((d) => d.status !== 'SUCCEEDED' && d.status !== 'FAILED')
              .map((d) => `${d.jobId} ${d.status}`)
              .join(', ')}`,
        );
        break;
      }
      await sleep(250);
    }
    const settleMs = Date.now() - t0;

    // True final states; array summaries equal the children's states.
    const childIds: string[] = [];
    for (const a of acked) {
      const d = final.get(a.jobId);
      if (!d) continue;
      const wrong = wrongState(a.kind, d);
      if (wrong) violations.push(wrong);
      if (a.kind === 'array' || a.kind === 'nToN')
        for (let i = 0; i < ARRAY_SIZE; i++) childIds.push(`${a.jobId}:${i}`);
    }
    const children = await describe(url, childIds);
    for (const a of acked.filter((x) => x.kind === 'array' || x.kind === 'nToN')) {
      const counts: Record<string, number> = {};
      for (let i = 0; i < ARRAY_SIZE; i++) {
        const c = children.get(`${a.jobId}:${i}`);
        if (!c) violations.push(`array child ${a.jobId}:${i} is missing`);
        else counts[c.status] = (counts[c.status] ?? 0) + 1;
      }
      const summary = Object.fromEntries(
        Object.entries(final.get(a.jobId)?.arrayProperties?.statusSummary ?? {}).filter(([, v]) => v > 0),
      );
      if (JSON.stringify(Object.entries(summary).sort()) !== JSON.stringify(Object.entries(counts).sort())) {
        violations.push(
          `array ${a.jobId}: statusSummary ${JSON.stringify(summary)} but children ${JSON.stringify(counts)}`,
        );
      }
    }
    // Each acknowledged job once in ListJobs.
    const listed = await listAll(url);
    const times = new Map<string, number>();
    for (const id of listed) times.set(id, (times.get(id) ?? 0) + 1);
    for (const a of acked)
      if (times.get(a.jobId) !== 1) violations.push(`${a.kind} ${a.jobId} listed ${times.get(a.jobId) ?? 0} times`);

    // No container started twice for one attempt; every recorded attempt of a container job was started once.
    await sleep(500);
    const mine = new Set([...ids, ...childIds]);
    let containersStarted = 0;
    for (const [key, n] of starts) {
      const jobId = key.slice(0, key.lastIndexOf('@'));
      if (!mine.has(jobId)) continue;
      containersStarted += n;
      if (n > 1) violations.push(`attempt ${key} was started ${n} times`);
    }
    const recorded = new Map<string, JobView>([...final, ...children]);
    for (const [jobId, d] of recorded) {
      if (d.arrayProperties?.size !== undefined) continue;
      (d.attempts ?? []).forEach((_, i) => {
        if (!starts.has(`${jobId}@${i + 1}`))
          violations.push(`attempt ${jobId}@${i + 1} is recorded but its container never started`);
      });
    }

    server.child.kill('SIGTERM');
    await server.exited;
    return {
      runs: options.runs,
      sigkills: totals.sigkills,
      sigterms: totals.sigterms,
      acknowledged: acked.length,
      unanswered,
      containersStarted,
      reattached: totals.reattached,
      finishedWhileStopped: totals.finished,
      vanished: totals.vanished,
      maxSigtermExitMs: totals.maxSigtermExitMs,
      settleMs,
      violations,
    };
  } finally {
    events.destroy();
    // Containers of this soak's store left by a broken run.
    const left = await docker.listContainers({ all: true, filters: { label: ['batchkit.managed=true'] } });
    const known = new Set(acked.map((a) => a.jobId));
    for (const c of left) {
      const id = (c.Labels?.['batchkit.job-id'] ?? '').split(':')[0];
      if (known.has(id))
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
    }
  }
}
