/**
 * The app around the jobs: (1) the cost of matching one event against one rule, with 100 rules of
 * the shapes apps use (the seed-003 parent-only pattern and variants with prefix, anything-but,
 * numeric, wildcard, exists and $or) over 2,000 job events, against hand-written predicates doing
 * the same checks (the baseline); target < 50 µs per event per rule. (2) The latency from a job's
 * final-state event to its Lambda target's handler starting, against the bare start of the same
 * `node` binary running a file (the runtime's own start); target: latency − runtime start < 200 ms.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AppModel, EventRuleModel } from '../lib/core/model/app';
import type { BatchJobEvent } from '../lib/core/model/events';
import type { JobDetail, SubmitJobResponse } from '../lib/core/model/job';
import { LocalApp } from '../lib/local/app/local-app';
import { matchesPattern, type EventPattern } from '../lib/local/events/pattern';
import type { BenchResult } from './bench';

const ARN = 'arn:aws:batch:us-east-1:123456789012';

function events(n: number): BatchJobEvent[] {
  const statuses = ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED', 'FAILED'];
  return Array.from({ length: n }, (_, i) => {
    const child = i % 4 !== 0;
    const q = `${ARN}:job-queue/q${i % 5}`;
    return {
      version: '0',
      id: `e${i}`,
      'detail-type': 'Batch Job State Change',
      source: 'aws.batch',
      account: '123456789012',
      time: '2026-12-06T00:00:00Z',
      region: 'us-east-1',
      resources: [`${ARN}:job/j${i}`],
      detail: {
        jobName: `work-${i % 7}`,
        jobId: `j${i}`,
        jobQueue: q,
        status: statuses[i % statuses.length],
        attempts: [],
        createdAt: 1_700_000_000_000 + i,
        jobDefinition: `${ARN}:job-definition/def${i % 3}:1`,
        arrayProperties: child ? { index: i % 10 } : { size: 10, statusSummary: { SUCCEEDED: 9, FAILED: 1 } },
        container: child
          ? {
              image: 'busybox',
              containerInstanceArn: 'arn:aws:ecs:us-east-1:123456789012:container-instance/x',
              exitCode: i % 2,
            }
          : { image: 'busybox' },
      },
    } as unknown as BatchJobEvent;
  });
}

/** 100 patterns and the hand-written predicates that check the same thing. */
function rules(): Array<{ pattern: EventPattern; predicate: (e: BatchJobEvent) => boolean }> {
  const out: Array<{ pattern: EventPattern; predicate: (e: BatchJobEvent) => boolean }> = [];
  type D = {
    jobQueue: string;
    jobDefinition: string;
    status: string;
    jobName: string;
    container?: { containerInstanceArn?: string; exitCode?: number };
    arrayProperties?: { size?: number };
  };
  const d = (e: BatchJobEvent) => e.detail as unknown as D;
  for (let i = 0; i < 100; i++) {
    const q = `${ARN}:job-queue/q${i % 5}`;
    const def = `${ARN}:job-definition/def${i % 3}:`;
    switch (i % 5) {
      case 0:
        out.push({
          pattern: {
            source: ['aws.batch'],
            'detail-type': ['Batch Job State Change'],
            detail: {
              jobQueue: [q],
              jobDefinition: [{ prefix: def }],
              status: ['SUCCEEDED', 'FAILED'],
              container: { containerInstanceArn: [{ exists: false }] },
              arrayProperties: { size: [{ exists: true }] },
            },
          },
          predicate: (e) =>
            e.source === 'aws.batch' &&
            e['detail-type'] === 'Batch Job State Change' &&
            d(e).jobQueue === q &&
            d(e).jobDefinition.startsWith(def) &&
            (d(e).status === 'SUCCEEDED' || d(e).status === 'FAILED') &&
            d(e).container?.containerInstanceArn === undefined &&
            d(e).arrayProperties?.size !== undefined,
        });
        break;
      case 1:
        out.push({
          pattern: {
            source: ['aws.batch'],
            detail: { status: [{ 'anything-but': ['SUBMITTED', 'PENDING', 'RUNNABLE'] }], jobQueue: [q] },
          },
          predicate: (e) =>
            e.source === 'aws.batch' &&
            !['SUBMITTED', 'PENDING', 'RUNNABLE'].includes(d(e).status) &&
            d(e).jobQueue === q,
        });
        break;
      case 2:
        out.push({
          pattern: {
            detail: {
              container: { exitCode: [{ numeric: ['>', 0, '<', 256] }] },
              jobName: [{ wildcard: `work-${i % 7}*` }],
            },
          },
          predicate: (e) =>
            (d(e).container?.exitCode ?? 0) > 0 &&
            (d(e).container?.exitCode ?? 0) < 256 &&
            d(e).jobName.startsWith(`work-${i % 7}`),
        });
        break;
      case 3:
        out.push({
          pattern: {
            source: ['aws.batch'],
            $or: [
              { detail: { status: ['FAILED'] } },
              { detail: { jobName: [{ 'equals-ignore-case': `WORK-${i % 7}` }] } },
            ],
          },
          predicate: (e) =>
            e.source === 'aws.batch' && (d(e).status === 'FAILED' || d(e).jobName.toLowerCase() === `work-${i % 7}`),
        });
        break;
      default:
        out.push({
          pattern: { resources: [{ prefix: `${ARN}:job/j${i}` }], detail: { jobDefinition: [{ suffix: ':1' }] } },
          predicate: (e) =>
            e.resources.some((r) => r.startsWith(`${ARN}:job/j${i}`)) && d(e).jobDefinition.endsWith(':1'),
        });
        break;
    }
  }
  return out;
}

function matchCost(): { usPerEventRule: number; baselineUs: number; agree: boolean; matches: number } {
  const evs = events(2000);
  const rs = rules();
  const rounds = 3;
  let best = Infinity;
  let bestBase = Infinity;
  let matches = 0;
  let agree = true;
  for (let r = 0; r < rounds; r++) {
    let t = process.hrtime.bigint();
    let m = 0;
    for (const e of evs) for (const rule of rs) if (matchesPattern(rule.pattern, e)) m++;
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1000);
    t = process.hrtime.bigint();
    let b = 0;
    for (const e of evs) for (const rule of rs) if (rule.predicate(e)) b++;
    bestBase = Math.min(bestBase, Number(process.hrtime.bigint() - t) / 1000);
    matches = m;
    agree = agree && m === b;
  }
  const pairs = evs.length * rs.length;
  return { usPerEventRule: best / pairs, baselineUs: bestBase / pairs, agree, matches };
}

class OneEventExecutor {
  private listener?: (e: BatchJobEvent) => void;
  onEvent(l: (e: BatchJobEvent) => void): () => void {
    this.listener = l;
    return () => (this.listener = undefined);
  }
  emit(e: BatchJobEvent): void {
    this.listener?.(e);
  }
  submitJob(): SubmitJobResponse {
    throw new Error('unused');
  }
  async waitForJob(): Promise<JobDetail> {
    throw new Error('unused');
  }
  describeJobs(): JobDetail[] {
    return [];
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function lambdaLatency(samples: number): Promise<{ latencyMs: number; runtimeStartMs: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'batchkit-bench-lambda-'));
  try {
    const fn = {
      logicalId: 'Fn',
      stack: 'S',
      functionName: 'fn',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:fn',
      qualifiedArns: [],
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      environment: {},
      timeoutSeconds: 30,
      memoryMiB: 128,
      code: { kind: 'inline' as const, source: 'const t = Date.now(); exports.handler = async () => t;' },
      source: { stack: 'S', logicalId: 'Fn' },
    };
    const rule: EventRuleModel = {
      logicalId: 'R',
      stack: 'S',
      name: 'r',
      eventBusName: 'default',
      state: 'ENABLED',
      eventPattern: { detail: { status: ['SUCCEEDED'] } },
      targets: [{ id: 'T', arn: fn.arn, kind: 'lambda' }],
      source: {},
    };
    const appModel: AppModel = { rules: [rule], functions: [fn], stateMachines: [], topics: [], queues: [], notes: [] };
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      const executor = new OneEventExecutor();
      const app = new LocalApp({
        app: appModel,
        executor,
        storeDir: path.join(dir, String(i)),
        env: { region: 'us-east-1', account: '123456789012', partition: 'aws' },
      });
      const t0 = Date.now();
      executor.emit({
        source: 'aws.batch',
        'detail-type': 'Batch Job State Change',
        detail: { jobId: 'j', jobName: 'j', status: 'SUCCEEDED' },
      } as unknown as BatchJobEvent);
      await app.waitForIdle();
      const started = app.store.recent.invocations[0]?.result as number;
      latencies.push(started - t0);
      app.close();
    }
    // The runtime's own start: the same binary loading a module file and reading the clock.
    const probe = path.join(dir, 'probe.js');
    writeFileSync(probe, 'process.stdout.write(String(Date.now()));');
    const starts: number[] = [];
    for (let i = 0; i < samples; i++) {
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [probe], { encoding: 'utf8' });
      starts.push(Number(r.stdout) - t0);
    }
    return { latencyMs: median(latencies), runtimeStartMs: median(starts) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs both measurements. */
export async function run(): Promise<BenchResult> {
  const m = matchCost();
  const l = await lambdaLatency(7);
  const overhead = l.latencyMs - l.runtimeStartMs;
  return {
    title: 'App around the jobs: rule matching and Lambda target latency',
    rows: [
      {
        measurement: 'pattern match, per event per rule (100 rules × 2,000 events)',
        batchkit: `${m.usPerEventRule.toFixed(2)} µs`,
        baseline: `${m.baselineUs.toFixed(3)} µs (hand-written predicates)`,
        ratio: (m.usPerEventRule / m.baselineUs).toFixed(1),
      },
      {
        measurement: 'final-state event → Lambda handler start (median of 7)',
        batchkit: `${l.latencyMs} ms`,
        baseline: `${l.runtimeStartMs} ms (bare node start)`,
        ratio: (l.latencyMs / Math.max(1, l.runtimeStartMs)).toFixed(2),
      },
    ],
    targets: [
      {
        description: 'pattern match < 50 µs per event per rule',
        pass: m.usPerEventRule < 50,
        measured: `${m.usPerEventRule.toFixed(2)} µs`,
      },
      {
        description: 'matcher and hand-written predicates select the same events',
        pass: m.agree,
        measured: `${m.matches} matches`,
      },
      {
        description: 'Lambda start latency − runtime start < 200 ms',
        pass: overhead < 200,
        measured: `${overhead} ms (${l.latencyMs} − ${l.runtimeStartMs})`,
      },
    ],
  };
}
