/**
 * plan → apply → plan → change → apply against `batchkit local serve` (the real Batch SDK client
 * over HTTP to the local API), then destroy.
 */
import type { BatchApi, ProvisionerClients } from '../../lib/provisioner/clients/interfaces';
import { applyPlan } from '../../lib/provisioner/apply/apply';
import { destroy } from '../../lib/provisioner/apply/destroy';
import { STACK_TAG } from '../../lib/provisioner/plan/desired';
import { createPlan, isEmptyPlan } from '../../lib/provisioner/plan/plan';
import { FAST_WAIT, batchTemplate, loadTemplate, startLocalTarget, type LocalTarget } from './support';

const MUTATING = /^(create|update|delete|register|deregister|submit)/;

/** Records every Batch call and, after each mutating one, checks that every queue has a live environment. */
function recording(
  batch: BatchApi,
  check: () => Promise<void>,
): { api: BatchApi; calls: Array<{ op: string; input: Record<string, unknown> }> } {
  const calls: Array<{ op: string; input: Record<string, unknown> }> = [];
  const api = new Proxy(batch, {
    get(target, prop: string) {
      const fn = (target as unknown as Record<string, (i: unknown) => Promise<unknown>>)[prop];
      return async (input: Record<string, unknown>) => {
        const out = await fn(input);
        if (MUTATING.test(prop)) {
          calls.push({ op: prop, input });
          await check();
        }
        return out;
      };
    },
  });
  return { api, calls };
}

describe('provisioner against the local Batch API', () => {
  let target: LocalTarget;
  beforeEach(async () => {
    target = await startLocalTarget();
  });
  afterEach(async () => {
    await target.close();
  });

  test('plan, apply, no-op, new revision, replacement with the queue never empty, destroy', async () => {
    const raw = target.clients;
    const violations: string[] = [];
    const invariant = async () => {
      const queues = (await raw.batch.describeJobQueues({})).jobQueues ?? [];
      const envs = (await raw.batch.describeComputeEnvironments({})).computeEnvironments ?? [];
      for (const q of queues) {
        const live = q.computeEnvironmentOrder?.filter((o) =>
          envs.some(
            (e) =>
              (e.computeEnvironmentArn === o.computeEnvironment || e.computeEnvironmentName === o.computeEnvironment) &&
              e.status !== 'DELETING',
          ),
        );
        if (!live || live.length === 0) violations.push(`${q.jobQueueName} has no live compute environment`);
      }
    };
    const rec = recording(raw.batch, invariant);
    const clients: ProvisionerClients = { ...raw, batch: rec.api };
    const opts = { wait: FAST_WAIT, iamSettleMs: 0 };

    // 1. First plan: everything to create, in dependency order.
    let model = loadTemplate(batchTemplate());
    const plan1 = await createPlan(model, clients);
    expect(plan1.blockers).toEqual([]);
    expect(plan1.actions.map((a) => [a.kind, a.action])).toEqual([
      ['ComputeEnvironment', 'create'],
      ['JobQueue', 'create'],
      ['JobDefinition', 'create'],
    ]);
    const report1 = await applyPlan(plan1, clients, opts);
    expect(report1.ok).toBe(true);
    // The job definition has no dependency and registers in parallel; the queue waits for its environment.
    const ops1 = rec.calls.map((c) => c.op);
    expect([...ops1].sort()).toEqual(['createComputeEnvironment', 'createJobQueue', 'registerJobDefinition']);
    expect(ops1.indexOf('createComputeEnvironment')).toBeLessThan(ops1.indexOf('createJobQueue'));
    const ceName = plan1.actions[0].name;
    const ces =
      (await raw.batch.describeComputeEnvironments({ computeEnvironments: [ceName] })).computeEnvironments ?? [];
    expect(ces[0].status).toBe('VALID');
    expect(ces[0].tags?.[STACK_TAG]).toBe('BatchStack');

    // 2. Second plan is empty; a second apply makes no mutating call.
    rec.calls.length = 0;
    const plan2 = await createPlan(model, clients);
    expect(plan2.actions.map((a) => a.action)).toEqual(['no-op', 'no-op', 'no-op']);
    expect(isEmptyPlan(plan2)).toBe(true);
    expect((await applyPlan(plan2, clients, opts)).done).toEqual([]);
    expect(rec.calls).toEqual([]);

    // 3. A job definition change registers exactly one new revision.
    model = loadTemplate(batchTemplate({ memory: '1024' }));
    const plan3 = await createPlan(model, clients);
    const jdAction = plan3.actions.find((a) => a.kind === 'JobDefinition');
    expect(jdAction?.action).toBe('update');
    expect(jdAction?.reasons[0]).toMatch(/registers revision 2/);
    expect(plan3.actions.filter((a) => a.action !== 'no-op')).toHaveLength(1);
    await applyPlan(plan3, clients, opts);
    expect(rec.calls.map((c) => c.op)).toEqual(['registerJobDefinition']);
    const revisions =
      (await raw.batch.describeJobDefinitions({ jobDefinitionName: jdAction!.name, status: 'ACTIVE' }))
        .jobDefinitions ?? [];
    expect(revisions.map((r) => r.revision).sort()).toEqual([1, 2]);
    expect(isEmptyPlan(await createPlan(model, clients))).toBe(true);

    // 4. instanceTypes on a BEST_FIT environment cannot be updated in place: replacement.
    rec.calls.length = 0;
    model = loadTemplate(batchTemplate({ memory: '1024', instanceTypes: ['c6i'] }));
    const plan4 = await createPlan(model, clients);
    const ceAction = plan4.actions.find((a) => a.kind === 'ComputeEnvironment')!;
    expect(ceAction.action).toBe('replace');
    expect(ceAction.reasons.join(' ')).toMatch(/computeResources\.instanceTypes.*replacement.*BEST_FIT/);
    expect(plan4.actions.find((a) => a.kind === 'JobQueue')?.action).toBe('update');
    const report4 = await applyPlan(plan4, clients, opts);
    expect(report4.ok).toBe(true);
    const ops = rec.calls.map(
      (c) =>
        `${c.op}:` +
        `${String(c.input.computeEnvironmentName ?? c.input.computeEnvironment ?? c.input.jobQueue ?? '')}` +
        `${c.input.state ? `:${String(c.input.state)}` : ''}`,
    );
    expect(ops).toEqual([
      `createComputeEnvironment:${ceName}-2:ENABLED`,
      `updateJobQueue:${plan4.actions[1].name}:ENABLED`,
      `updateComputeEnvironment:${ceName}:DISABLED`,
      `deleteComputeEnvironment:${ceName}`,
    ]);
    expect(violations).toEqual([]);
    const queue = (await raw.batch.describeJobQueues({ jobQueues: [plan4.actions[1].name] })).jobQueues![0];
    expect(queue.computeEnvironmentOrder?.[0].computeEnvironment).toMatch(
      new RegExp(`compute-environment/${ceName}-2$`),
    );
    expect(
      (await raw.batch.describeComputeEnvironments({ computeEnvironments: [ceName] })).computeEnvironments,
    ).toEqual([]);
    // The replacement is found by its batchkit:name tag: nothing more to do.
    expect(isEmptyPlan(await createPlan(model, clients))).toBe(true);

    // 5. destroy removes everything tagged for the stack.
    const dry = await destroy(clients, { stacks: ['BatchStack'], dryRun: true, wait: FAST_WAIT });
    expect(dry.steps.map((s) => `${s.action} ${s.resource.split(' ')[0]}`)).toEqual([
      'disable JobQueue',
      'delete JobQueue',
      'disable ComputeEnvironment',
      'delete ComputeEnvironment',
      'deregister JobDefinition',
      'deregister JobDefinition',
    ]);
    rec.calls.length = 0;
    const gone = await destroy(clients, { stacks: ['BatchStack'], wait: FAST_WAIT });
    expect(gone.steps).toEqual(dry.steps);
    expect((await raw.batch.describeJobQueues({})).jobQueues).toEqual([]);
    expect((await raw.batch.describeComputeEnvironments({})).computeEnvironments).toEqual([]);
    expect((await raw.batch.describeJobDefinitions({ status: 'ACTIVE' })).jobDefinitions).toEqual([]);
    expect(violations).toEqual([]);
  });
});

describe('in-place updates and queue replacement against the local Batch API', () => {
  let target: LocalTarget;
  beforeEach(async () => {
    target = await startLocalTarget();
  });
  afterEach(async () => {
    await target.close();
  });

  test(
    'maxvCpus is updated in place; adding a scheduling policy replaces the ' + 'queue after creating the policy',
    async () => {
      const raw = target.clients;
      const rec = recording(raw.batch, async () => undefined);
      const clients: ProvisionerClients = { ...raw, batch: rec.api };
      const opts = { wait: FAST_WAIT, iamSettleMs: 0 };
      await applyPlan(await createPlan(loadTemplate(batchTemplate()), clients), clients, opts);

      rec.calls.length = 0;
      const bigger = await createPlan(loadTemplate(batchTemplate({ maxvCpus: 64 })), clients);
      const ce = bigger.actions.find((a) => a.kind === 'ComputeEnvironment')!;
      expect(ce.action).toBe('update');
      expect(ce.reasons).toEqual(['computeResources.maxvCpus: 16 → 64']);
      expect((await applyPlan(bigger, clients, opts)).ok).toBe(true);
      expect(rec.calls).toEqual([
        { op: 'updateComputeEnvironment', input: { computeEnvironment: ce.name, computeResources: { maxvCpus: 64 } } },
      ]);
      expect(
        (await raw.batch.describeComputeEnvironments({ computeEnvironments: [ce.name] })).computeEnvironments![0]
          .computeResources?.maxvCpus,
      ).toBe(64);

      rec.calls.length = 0;
      const fair = batchTemplate({ maxvCpus: 64 }) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
      fair.Resources.Fair = {
        Type: 'AWS::Batch::SchedulingPolicy',
        Properties: {
          FairsharePolicy: {
            ShareDecaySeconds: 3600,
            ShareDistribution: [{ ShareIdentifier: 'team-a', WeightFactor: 1 }],
          },
        },
      };
      fair.Resources.Queue.Properties.SchedulingPolicyArn = { Ref: 'Fair' };
      const plan = await createPlan(loadTemplate(fair), clients);
      expect(plan.actions.map((a) => `${a.kind} ${a.action}`)).toEqual([
        'SchedulingPolicy create',
        'ComputeEnvironment no-op',
        'JobQueue replace',
        'JobDefinition no-op',
      ]);
      expect(plan.actions[2].reasons[0]).toMatch(
        new RegExp(
          String.raw`^schedulingPolicyArn: \(not set\) → "ref\(SchedulingPolicy:F` +
            String.raw`air-[0-9a-f]{12}\)" — replacement: a scheduling policy canno` +
            String.raw`t be added`,
        ),
      );
      const report = await applyPlan(plan, clients, opts);
      expect(report.ok).toBe(true);
      expect(rec.calls.map((c) => `${c.op}${c.input.state ? `:${String(c.input.state)}` : ''}`)).toEqual([
        'createSchedulingPolicy',
        'updateJobQueue:DISABLED',
        'deleteJobQueue',
        'createJobQueue:ENABLED',
      ]);
      const queue = (await raw.batch.describeJobQueues({ jobQueues: [plan.actions[2].name] })).jobQueues![0];
      expect(queue.schedulingPolicyArn).toMatch(/:scheduling-policy\/Fair-[0-9a-f]{12}$/);
      expect(queue.status).toBe('VALID');
      expect(isEmptyPlan(await createPlan(loadTemplate(fair), clients))).toBe(true);
    },
  );
});

describe('resources the app no longer declares', () => {
  let target: LocalTarget;
  beforeEach(async () => {
    target = await startLocalTarget();
  });
  afterEach(async () => {
    await target.close();
  });

  test('a queue and a job definition removed from the app are deleted, queue first', async () => {
    const clients = target.clients;
    const opts = { wait: FAST_WAIT, iamSettleMs: 0 };
    await applyPlan(await createPlan(loadTemplate(batchTemplate()), clients), clients, opts);
    const smaller = batchTemplate() as { Resources: Record<string, unknown> };
    delete smaller.Resources.Queue;
    delete smaller.Resources.Hello;
    const model = loadTemplate(smaller);
    const plan = await createPlan(model, clients);
    expect(plan.actions.map((a) => `${a.action} ${a.kind}`)).toEqual([
      'no-op ComputeEnvironment',
      'delete JobQueue',
      'delete JobDefinition',
    ]);
    expect(plan.actions[1].reasons).toEqual(['no longer in the app']);
    const report = await applyPlan(plan, clients, opts);
    expect(report.ok).toBe(true);
    expect((await clients.batch.describeJobQueues({})).jobQueues).toEqual([]);
    expect((await clients.batch.describeJobDefinitions({ status: 'ACTIVE' })).jobDefinitions).toEqual([]);
    expect(isEmptyPlan(await createPlan(model, clients))).toBe(true);
  });

  test(
    'an interrupted replacement converges: the newest copy is kept and the ' + 'old one deleted on the next apply',
    async () => {
      const raw = target.clients;
      const opts = { wait: FAST_WAIT, iamSettleMs: 0 };
      await applyPlan(await createPlan(loadTemplate(batchTemplate()), raw), raw, opts);
      let fail = true;
      const flaky: ProvisionerClients = {
        ...raw,
        batch: {
          ...raw.batch,
          deleteComputeEnvironment: async (input) => {
            if (fail) {
              fail = false;
              throw Object.assign(new Error('connection reset'), { name: 'ClientException' });
            }
            return raw.batch.deleteComputeEnvironment(input);
          },
        },
      };
      const changed = loadTemplate(batchTemplate({ instanceTypes: ['c6i'] }));
      const first = await applyPlan(await createPlan(changed, flaky), flaky, opts);
      expect(first.failed).toEqual([
        { step: expect.stringMatching(/^retire:ComputeEnvironment:Compute-/), message: 'connection reset' },
      ]);

      const next = await createPlan(changed, flaky);
      const ce = next.actions.find((a) => a.kind === 'ComputeEnvironment' && a.action !== 'delete')!;
      expect(ce.action).toBe('no-op');
      expect(ce.existing?.name).toBe(`${ce.name}-2`);
      expect(next.actions.filter((a) => a.action !== 'no-op').map((a) => `${a.action} ${a.kind} ${a.name}`)).toEqual([
        `delete ComputeEnvironment ${ce.name}`,
      ]);
      expect((await applyPlan(next, flaky, opts)).ok).toBe(true);
      expect(
        ((await raw.batch.describeComputeEnvironments({})).computeEnvironments ?? []).map(
          (c) => c.computeEnvironmentName,
        ),
      ).toEqual([`${ce.name}-2`]);
      expect(isEmptyPlan(await createPlan(changed, flaky))).toBe(true);
    },
  );
});
