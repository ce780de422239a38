/**
 * One attempt of a multi-node parallel job: the main node starts first, the other nodes start once
 * it is RUNNING, the job ends when the main node exits (the other nodes are then stopped) and takes
 * the main node's outcome. Retries and the timeout follow the main node only.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/multi-node-parallel-jobs.html
 */
import type { JobDetail } from '../../core/model/job';
import { firstMatchingAction } from '../../core/rules/retry-patterns';
import type { AttemptResult } from '../attempt-runner';
import type { JobRecord } from './job-record';
import type { Scheduler } from './scheduler';

/** Private address of the main node: nodes share the host network locally. */
export const MAIN_NODE_ADDRESS = '127.0.0.1';
/** Reason recorded on nodes stopped because the main node exited. */
export const MAIN_NODE_EXITED = 'Main node exited';

/** Node records of a multi-node job, created the first time it is placed. */
function ensureNodes(s: Scheduler, parent: JobRecord): JobRecord[] {
  const n = parent.meta.size ?? 0;
  const existing = Array.from({ length: n }, (_, i) => s.get(`${parent.detail.jobId}#${i}`));
  if (existing.every((r) => r !== undefined)) return existing as JobRecord[];
  const o = s.options;
  const containers = parent.meta.nodeContainers ?? [];
  const mainNode = parent.detail.nodeProperties?.mainNode ?? 0;
  const nodes: JobRecord[] = [];
  for (let i = 0; i < n; i++) {
    const p = parent.detail;
    const container = containers[i];
    const detail: JobDetail = {
      jobArn: p.jobArn ? `${p.jobArn}#${i}` : undefined,
      jobName: p.jobName,
      jobId: `${p.jobId}#${i}`,
      jobQueue: p.jobQueue,
      status: 'PENDING',
      attempts: [],
      createdAt: o.clock.now(),
      retryStrategy: p.retryStrategy,
      dependsOn: [],
      jobDefinition: p.jobDefinition,
      parameters: p.parameters,
      container: JSON.parse(JSON.stringify(container)),
      nodeDetails: { nodeIndex: i, isMainNode: i === mainNode },
      timeout: p.timeout,
      tags: p.tags,
      propagateTags: p.propagateTags,
      platformCapabilities: p.platformCapabilities,
    };
    const rec: JobRecord = {
      detail,
      meta: {
        kind: 'mnp-node',
        queueName: parent.meta.queueName,
        definitionName: parent.meta.definitionName,
        seq: parent.meta.seq,
        waitingOn: [],
        parentId: p.jobId,
        nodeIndex: i,
        demand: { vcpus: 0, memoryMiB: 0, gpus: 0 },
        nodeContainer: container,
      },
    };
    s.add(rec);
    nodes.push(rec);
  }
  o.store.saveMany(nodes);
  return nodes;
}

/** Drives one attempt of a multi-node job. */
export class MultiNodeRun {
  private terminateReason?: string;

  constructor(
    private readonly s: Scheduler,
    private readonly parent: JobRecord,
  ) {}

  /** TerminateJob on the whole job: stops the main node (the others follow). */
  terminate(reason: string): void {
    this.terminateReason = reason;
    const main = this.parent.detail.nodeProperties?.mainNode ?? 0;
    this.s.terminate(`${this.parent.detail.jobId}#${main}`, reason);
  }

  /** Runs the attempt to its end and moves the parent and nodes on. */
  async start(): Promise<void> {
    const s = this.s;
    const parent = this.parent;
    const nodes = ensureNodes(s, parent);
    const numNodes = nodes.length;
    const mainIndex = parent.detail.nodeProperties?.mainNode ?? 0;
    for (const n of nodes) {
      n.meta.ceName = parent.meta.ceName;
      if (n.detail.status === 'PENDING') s.move(n, 'RUNNABLE', undefined);
    }
    const env = (i: number): Record<string, string> => ({
      AWS_BATCH_JOB_NODE_INDEX: String(i),
      AWS_BATCH_JOB_NUM_NODES: String(numNodes),
      AWS_BATCH_JOB_MAIN_NODE_INDEX: String(mainIndex),
      ...(i === mainIndex ? {} : { AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS: MAIN_NODE_ADDRESS }),
    });
    const main = nodes[mainIndex];
    const others = nodes.filter((_, i) => i !== mainIndex);
    const childRuns: Promise<{ node: JobRecord; result: AttemptResult }>[] = [];
    if (this.terminateReason !== undefined) main.meta.terminateReason = this.terminateReason;
    s.move(main, 'STARTING', undefined);
    const mainResult = await s.runAttempt(main, env(mainIndex), undefined, {
      network: 'host',
      onRunning: () => {
        if (parent.detail.status === 'STARTING') s.move(parent, 'RUNNING', undefined);
        for (const node of others) {
          s.move(node, 'STARTING', undefined);
          childRuns.push(s.runAttempt(node, env(node.meta.nodeIndex ?? 0), undefined, { network: 'host', timeout: false }).then((result) => ({ node, result })));
        }
      },
    });
    // The job ends with the main node: stop the nodes still running (SIGTERM, SIGKILL after the grace period).
    for (const node of others) s.stopAttempt(node.detail.jobId, MAIN_NODE_EXITED);
    const childResults = await Promise.all(childRuns);
    const pAttempts = (parent.detail.attempts ??= []);
    const last = main.detail.attempts?.[main.detail.attempts.length - 1];
    if (last) pAttempts.push(JSON.parse(JSON.stringify(last)));
    parent.detail.container = undefined;
    const outcome = this.decide(mainResult);
    if (outcome === 'RETRY') {
      s.move(main, 'RUNNABLE', mainResult.statusReason);
      for (const { node } of childResults) s.move(node, 'RUNNABLE', MAIN_NODE_EXITED);
      s.move(parent, 'RUNNABLE', mainResult.statusReason);
      return;
    }
    const reason = outcome === 'SUCCEEDED' ? mainResult.statusReason : mainResult.containerReason ?? mainResult.statusReason;
    s.move(main, outcome, reason);
    for (const node of others) {
      const r = childResults.find((c) => c.node === node)?.result;
      const stoppedByUs = r !== undefined && r.terminated;
      if (node.detail.status === 'RUNNABLE') s.move(node, 'FAILED', MAIN_NODE_EXITED);
      else if (node.detail.status === 'STARTING' && !r?.started) s.move(node, 'FAILED', r?.containerReason ?? r?.statusReason);
      else if (stoppedByUs) s.move(node, outcome, MAIN_NODE_EXITED);
      else s.move(node, r?.exitCode === 0 ? 'SUCCEEDED' : 'FAILED', r?.containerReason ?? r?.statusReason);
    }
    s.move(parent, outcome, reason);
  }

  private decide(r: AttemptResult): 'SUCCEEDED' | 'FAILED' | 'RETRY' {
    if (r.started && r.exitCode === 0 && !r.terminated && !r.timedOut) return 'SUCCEEDED';
    if (r.terminated || r.timedOut || this.terminateReason !== undefined) return 'FAILED';
    const d = this.parent.detail;
    const allowed = d.retryStrategy?.attempts ?? 1;
    const used = d.attempts?.length ?? 0;
    const action = firstMatchingAction(d.retryStrategy?.evaluateOnExit, { exitCode: r.exitCode, reason: r.containerReason, statusReason: r.statusReason });
    return used < allowed && action !== 'EXIT' ? 'RETRY' : 'FAILED';
  }
}
