/**
 * Synth benchmark: the same stack (one VPC, two compute environments, two queues, N container
 * job definitions) with batchkit and with aws-cdk-lib/aws-batch, synthesized in the same process,
 * alternating, several times each; reports the median synth-time ratio and resources per job
 * definition.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { BenchResult, BenchRow, BenchTarget } from './bench';
import { buildAwsCdkLibStack, buildBatchkitStack, type BenchStack } from './synth-stacks';

/** CloudFormation's resource limit per stack. */
const CFN_RESOURCE_LIMIT = 500;
/** Job definition counts measured. */
const SIZES = [10, 100, 400];
/** Target: batchkit synth time ≤ this × aws-cdk-lib's. */
const TIME_RATIO_TARGET = 1.1;

type Builder = (jobs: number, opts: { outdir: string; context: Record<string, unknown> }) => BenchStack;

interface Sample {
  readonly ms: number;
  readonly resources: number;
}

/** Builds and synthesizes once: construct tree + `app.synth()` into a temp dir. */
function synthOnce(build: Builder, jobs: number): Sample {
  const outdir = mkdtempSync(path.join(tmpdir(), 'bk-bench-'));
  try {
    const start = process.hrtime.bigint();
    // aws-cdk-lib refuses stacks over 500 resources at synth; lift the check so both sides can be timed.
    const { app, stack } = build(jobs, { outdir, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
    const assembly = app.synth();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, unknown> };
    return { ms, resources: Object.keys(template.Resources).length };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs the benchmark. */
export function run(): BenchResult {
  const ours: Builder = buildBatchkitStack;
  const theirs: Builder = buildAwsCdkLibStack;
  // Warm-up: module loading and JIT for both sides.
  synthOnce(ours, 10);
  synthOnce(theirs, 10);
  const empty = { ours: synthOnce(ours, 0).resources, theirs: synthOnce(theirs, 0).resources };
  const one = { ours: synthOnce(ours, 1).resources, theirs: synthOnce(theirs, 1).resources };

  const rows: BenchRow[] = [];
  const targets: BenchTarget[] = [];
  for (const n of SIZES) {
    const reps = n >= 400 ? 3 : 5;
    const a: Sample[] = [];
    const b: Sample[] = [];
    for (let i = 0; i < reps; i++) {
      // Alternate the order so drift (GC, CPU shared with other work) hits both sides alike.
      if (i % 2 === 0) {
        a.push(synthOnce(ours, n));
        b.push(synthOnce(theirs, n));
      } else {
        b.push(synthOnce(theirs, n));
        a.push(synthOnce(ours, n));
      }
    }
    const msOurs = median(a.map((s) => s.ms));
    const msTheirs = median(b.map((s) => s.ms));
    const ratio = msOurs / msTheirs;
    // Marginal cost of a job definition: resources added by each one after the first.
    const perJobOurs = (a[0].resources - one.ours) / (n - 1);
    const perJobTheirs = (b[0].resources - one.theirs) / (n - 1);
    rows.push({
      jobs: n,
      'batchkit ms': msOurs.toFixed(0),
      'aws-cdk-lib ms': msTheirs.toFixed(0),
      'time ratio': ratio.toFixed(2),
      'batchkit resources': a[0].resources,
      'aws-cdk-lib resources': b[0].resources,
      'batchkit res/job': perJobOurs.toFixed(2),
      'aws-cdk-lib res/job': perJobTheirs.toFixed(2),
    });
    targets.push({
      description: `N=${n}: batchkit synth time ≤ ${TIME_RATIO_TARGET}× aws-cdk-lib`,
      pass: ratio <= TIME_RATIO_TARGET,
      measured: `${ratio.toFixed(2)}×`,
    });
    targets.push({
      description: `N=${n}: ≤ 1 resource per job definition`,
      pass: perJobOurs <= 1,
      measured: perJobOurs.toFixed(2),
    });
    targets.push({
      description: `N=${n}: batchkit stack within CloudFormation's ${CFN_RESOURCE_LIMIT}-resource limit`,
      pass: a[0].resources <= CFN_RESOURCE_LIMIT,
      measured:
        `${a[0].resources} resources (aws-cdk-lib: ${b[0].resources}` +
        `${b[0].resources > CFN_RESOURCE_LIMIT ? ', over the limit' : ''})`,
    });
  }
  return {
    title: 'Synth: 1 VPC, 2 compute environments, 2 queues, N job definitions (batchkit vs aws-cdk-lib/aws-batch)',
    rows,
    targets,
    notes: [
      'ms = median of 5 runs (3 at N=400) of construct + app.synth(), sides ' +
        'alternating; ratio = batchkit / aws-cdk-lib in this run.',
      'res/job = (resources at N − resources at N=1) / (N − 1): what each further job definition adds to the stack.',
      `the first job definition adds ${one.ours - empty.ours} resources with ` +
        `batchkit (itself + the stack's shared execution role and its policy) ` +
        `and ${one.theirs - empty.theirs} with aws-cdk-lib.`,
    ],
  };
}
