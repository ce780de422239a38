/**
 * One attempt of a multi-node parallel job: the main node starts first, the other nodes start once
 * it is RUNNING, the job ends when the main node exits (the other nodes are then stopped) and takes
 * the main node's outcome. Retries and the timeout follow the main node only. After a restart the
 * attempt is re-attached node by node ({@link MultiNodeRun.resume}).
 * @see https://docs.aws.amazon.com/batch/latest/userguide/multi-node-parallel-jobs.html
 */
import type { JobDetail } from '../../core/model/job';
import { firstMatchingAction } from '../../core/rules/retry-patterns';
import { REASONS, type AttemptResult } from '../attempt-runner';
import type { FoundContainer } from '../runtime/container-runtime';
import { CONTAINER_VANISHED, vanish } from './vanished';
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

/** How one node's part of the attempt ended. */
interface NodeRun {
  readonly node: JobRecord;
  readonly result: AttemptResult;
}

/** Whether a node's container may be on the engine for the current attempt. */
function live(node: JobRecord): boolean {
  return !node.meta.runEnded && (node.detail.status === 'STARTING' || node.detail.status === 'RUNNING');
}

/** The result of a node's run that ended before a restart, from its recorded attempt. */
function recordedResult(node: JobRecord): AttemptResult {
  const a = node.detail.attempts?.[node.detail.attempts.length - 1];
  const terminated = a?.statusReason === MAIN_NODE_EXITED || node.meta.terminateReason !== undefined;
  return {
    started: a?.startedAt !== undefined,
    exitCode: a?.container?.exitCode,
    containerReason: a?.container?.reason,
    statusReason: a?.statusReason ?? CONTAINER_VANISHED,
    timedOut: a?.statusReason === REASONS.timeout,
    terminated,
    logs: '',
  };
}

/** Drives one attempt of a multi-node job. */
export class MultiNodeRun {
  private terminateReason?: string;
  private readonly nodes: JobRecord[] = [];
  private readonly mainIndex: number;
  private readonly childRuns: Promise<NodeRun>[] = [];

  constructor(
    private readonly s: Scheduler,
    private readonly parent: JobRecord,
  ) {
    this.mainIndex = parent.detail.nodeProperties?.mainNode ?? 0;
  }

  /** TerminateJob on the whole job: stops the main node (the others follow). */
  terminate(reason: string): void {
    this.terminateReason = reason;
    this.s.terminate(`${this.parent.detail.jobId}#${this.mainIndex}`, reason);
  }

  /** Runs the attempt to its end and moves the parent and nodes on. */
  async start(): Promise<void> {
    const s = this.s;
    this.nodes.push(...ensureNodes(s, this.parent));
    for (const n of this.nodes) {
      n.meta.ceName = this.parent.meta.ceName;
      delete n.meta.runEnded;
      if (n.detail.status === 'PENDING') s.move(n, 'RUNNABLE', undefined);
    }
    const main = this.nodes[this.mainIndex];
    if (this.terminateReason !== undefined) main.meta.terminateReason = this.terminateReason;
    s.move(main, 'STARTING', undefined);
    const mainResult = await s.runAttempt(main, this.env(this.mainIndex), undefined, {
      network: 'host',
      onRunning: () => {
        this.parentRunning();
        for (const node of this.others()) this.startNode(node);
      },
    });
    await this.end(mainResult);
  }

  /**
   * Restart: re-attaches the nodes whose containers were found (`containers`, by node index),
   * takes the recorded end of nodes that stopped before, starts the nodes that never started once
   * the main node is found running, and fails the attempt with {@link CONTAINER_VANISHED} when the
   * main node's container is gone.
   */
  async resume(containers: ReadonlyMap<number, FoundContainer>): Promise<void> {
    const s = this.s;
    this.nodes.push(...ensureNodes(s, this.parent));
    const main = this.nodes[this.mainIndex];
    const notStarted: JobRecord[] = [];
    for (const node of this.others()) {
      const c = containers.get(node.meta.nodeIndex ?? 0);
      if (node.meta.runEnded) this.childRuns.push(Promise.resolve({ node, result: recordedResult(node) }));
      else if (live(node) && c) this.childRuns.push(this.follow(node, c));
      else if (node.detail.status === 'RUNNING')
        this.childRuns.push(Promise.resolve({ node, result: vanish(s, node) }));
      else notStarted.push(node);
    }
    const found = containers.get(this.mainIndex);
    let mainResult: AttemptResult;
    if (main.meta.runEnded) mainResult = recordedResult(main);
    else if (!live(main) || !found) mainResult = vanish(s, main);
    else {
      mainResult = await s.runAttempt(main, this.env(this.mainIndex), found.attach(), {
        network: 'host',
        onRunning: () => {
          this.parentRunning();
          if (found.running) for (const node of notStarted) this.startNode(node);
        },
      });
    }
    await this.end(mainResult);
  }

  private others(): JobRecord[] {
    return this.nodes.filter((_, i) => i !== this.mainIndex);
  }

  private env(i: number): Record<string, string> {
    return {
      AWS_BATCH_JOB_NODE_INDEX: String(i),
      AWS_BATCH_JOB_NUM_NODES: String(this.nodes.length),
      AWS_BATCH_JOB_MAIN_NODE_INDEX: String(this.mainIndex),
      ...(i === this.mainIndex ? {} : { AWS_BATCH_JOB_MAIN_NODE_PRIVATE_IPV4_ADDRESS: MAIN_NODE_ADDRESS }),
    };
  }

  private parentRunning(): void {
    if (this.parent.detail.status === 'STARTING') this.s.move(this.parent, 'RUNNING', undefined);
  }

  /** Starts a node that has not started in this attempt. */
  private startNode(node: JobRecord): void {
    if (node.detail.status === 'PENDING') this.s.move(node, 'RUNNABLE', undefined);
    if (node.detail.status === 'RUNNABLE') this.s.move(node, 'STARTING', undefined);
    this.childRuns.push(
      this.ended(
        node,
        this.s.runAttempt(node, this.env(node.meta.nodeIndex ?? 0), undefined, { network: 'host', timeout: false }),
      ),
    );
  }

  /** Follows a node's container found at restart. */
  private follow(node: JobRecord, c: FoundContainer): Promise<NodeRun> {
    return this.ended(
      node,
      this.s.runAttempt(node, this.env(node.meta.nodeIndex ?? 0), c.attach(), { network: 'host', timeout: false }),
    );
  }

  /** A node's run ended: its recorded attempt is stored at once, so a restart before the job ends knows it. */
  private ended(node: JobRecord, run: Promise<AttemptResult>): Promise<NodeRun> {
    return run.then((result) => {
      node.meta.runEnded = true;
      this.s.options.store.save(node);
      return { node, result };
    });
  }

  /** The main node ended: stops the other nodes, waits for them and moves the job on. */
  private async end(main: AttemptResult): Promise<void> {
    const s = this.s;
    const parent = this.parent;
    const mainNode = this.nodes[this.mainIndex];
    mainNode.meta.runEnded = true;
    s.options.store.save(mainNode);
    // The job ends with the main node: stop the nodes still running (SIGTERM, SIGKILL after the grace period).
    for (const node of this.others()) s.stopAttempt(node.detail.jobId, MAIN_NODE_EXITED);
    const results = new Map((await Promise.all(this.childRuns)).map((r) => [r.node, r.result]));
    for (const n of this.nodes) delete n.meta.runEnded;
    const pAttempts = (parent.detail.attempts ??= []);
    const last = mainNode.detail.attempts?.[mainNode.detail.attempts.length - 1];
    if (last) pAttempts.push(JSON.parse(JSON.stringify(last)));
    parent.detail.container = undefined;
    const outcome = this.decide(main);
    if (outcome === 'RETRY') {
      s.move(mainNode, 'RUNNABLE', main.statusReason);
      for (const node of this.others())
        if (node.detail.status !== 'RUNNABLE') s.move(node, 'RUNNABLE', MAIN_NODE_EXITED);
      s.move(parent, 'RUNNABLE', main.statusReason);
      return;
    }
    const reason = outcome === 'SUCCEEDED' ? main.statusReason : (main.containerReason ?? main.statusReason);
    s.move(mainNode, outcome, reason);
    for (const node of this.others()) {
      const r = results.get(node);
      if (!r) s.move(node, 'FAILED', MAIN_NODE_EXITED);
      else if (!r.started) s.move(node, 'FAILED', r.containerReason ?? r.statusReason);
      else if (r.terminated) s.move(node, outcome, MAIN_NODE_EXITED);
      else s.move(node, r.exitCode === 0 ? 'SUCCEEDED' : 'FAILED', r.containerReason ?? r.statusReason);
    }
    s.move(parent, outcome, reason);
  }

  private decide(r: AttemptResult): 'SUCCEEDED' | 'FAILED' | 'RETRY' {
    if (r.started && r.exitCode === 0 && !r.terminated && !r.timedOut) return 'SUCCEEDED';
    if (r.terminated || r.timedOut || this.terminateReason !== undefined) return 'FAILED';
    const d = this.parent.detail;
    const allowed = d.retryStrategy?.attempts ?? 1;
    const used = d.attempts?.length ?? 0;
    const action = firstMatchingAction(d.retryStrategy?.evaluateOnExit, {
      exitCode: r.exitCode,
      reason: r.containerReason,
      statusReason: r.statusReason,
    });
    return used < allowed && action !== 'EXIT' ? 'RETRY' : 'FAILED';
  }
}
