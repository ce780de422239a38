/** The confirmation of apply and destroy, at library level, against the local Batch API. */
import { applyPlan, renderApplyReport } from '../../lib/provisioner/apply/apply';
import {
  destroy,
  renderDestroyPreview,
  renderDestroyReport,
  type DestroyReport,
} from '../../lib/provisioner/apply/destroy';
import { createPlan } from '../../lib/provisioner/plan/plan';
import { FAST_WAIT, batchTemplate, loadTemplate, startLocalTarget, type LocalTarget } from './support';

const opts = { wait: FAST_WAIT, iamSettleMs: 0 };

describe('confirmation', () => {
  let target: LocalTarget;
  beforeEach(async () => {
    target = await startLocalTarget();
  });
  afterEach(async () => {
    await target.close();
  });

  const counts = async () => ({
    environments: ((await target.clients.batch.describeComputeEnvironments({})).computeEnvironments ?? []).length,
    queues: ((await target.clients.batch.describeJobQueues({})).jobQueues ?? []).length,
    definitions: ((await target.clients.batch.describeJobDefinitions({ status: 'ACTIVE' })).jobDefinitions ?? [])
      .length,
  });

  test('apply: a declined question changes nothing; yes applies; an empty plan asks nothing', async () => {
    const model = loadTemplate(batchTemplate());
    const plan = await createPlan(model, target.clients);
    const no = jest.fn(async () => false);
    const declined = await applyPlan(plan, target.clients, { ...opts, confirm: no });
    expect(no.mock.calls).toEqual([['Apply these changes?']]);
    expect(declined).toMatchObject({ ok: false, declined: true, done: [], failed: [] });
    expect(declined.notDone).toEqual(plan.actions.map((a) => a.key));
    expect(renderApplyReport(declined)).toBe('Apply cancelled: nothing was changed.\n');
    expect(await counts()).toEqual({ environments: 0, queues: 0, definitions: 0 });

    const yes = jest.fn(async () => true);
    const applied = await applyPlan(await createPlan(model, target.clients), target.clients, { ...opts, confirm: yes });
    expect(yes).toHaveBeenCalledTimes(1);
    expect(applied).toMatchObject({ ok: true, declined: false });
    expect(await counts()).toEqual({ environments: 1, queues: 1, definitions: 1 });

    const unasked = jest.fn(async () => false);
    const empty = await applyPlan(await createPlan(model, target.clients), target.clients, {
      ...opts,
      confirm: unasked,
    });
    expect(unasked).not.toHaveBeenCalled();
    expect(empty).toMatchObject({ ok: true, declined: false, done: [] });
  });

  test('apply: a plan with blockers is refused before anything is asked', async () => {
    const plan = await createPlan(loadTemplate(batchTemplate()), target.clients);
    const ask = jest.fn(async () => true);
    await expect(
      applyPlan({ ...plan, blockers: ['something is wrong'] }, target.clients, { ...opts, confirm: ask }),
    ).rejects.toThrow(/1 blocker\(s\); nothing was changed/);
    expect(ask).not.toHaveBeenCalled();
  });

  test(
    'destroy: the preview is shown, a declined question deletes nothing; ' +
      'dry run and nothing-to-delete ask nothing',
    async () => {
      await applyPlan(await createPlan(loadTemplate(batchTemplate()), target.clients), target.clients, opts);
      const previews: DestroyReport[] = [];
      const no = jest.fn(async () => false);
      const declined = await destroy(target.clients, {
        stacks: ['BatchStack'],
        wait: FAST_WAIT,
        confirm: no,
        onPreview: (p) => previews.push(p),
      });
      expect(no.mock.calls).toEqual([['Destroy these resources?']]);
      expect(previews).toHaveLength(1);
      expect(previews[0].dryRun).toBe(true);
      expect(previews[0].steps.map((s) => `${s.action} ${s.resource.split(' ')[0]}`)).toEqual([
        'disable JobQueue',
        'delete JobQueue',
        'disable ComputeEnvironment',
        'delete ComputeEnvironment',
        'deregister JobDefinition',
      ]);
      expect(renderDestroyPreview(previews[0])).toMatch(
        new RegExp(
          String.raw`^disable +JobQueue Queue-[0-9a-f]{12}\n[\s\S]*Destroy: 5 ste` + String.raw`p\(s\) to run\.\n$`,
        ),
      );
      expect(declined).toEqual({ dryRun: false, declined: true, steps: [], skipped: [] });
      expect(renderDestroyReport(declined)).toBe('Destroy cancelled: nothing was changed.\n');
      expect(await counts()).toEqual({ environments: 1, queues: 1, definitions: 1 });

      const unasked = jest.fn(async () => true);
      const dry = await destroy(target.clients, {
        stacks: ['BatchStack'],
        wait: FAST_WAIT,
        dryRun: true,
        confirm: unasked,
      });
      expect(unasked).not.toHaveBeenCalled();
      expect(dry.steps).toHaveLength(5);

      const yes = jest.fn(async () => true);
      const gone = await destroy(target.clients, { stacks: ['BatchStack'], wait: FAST_WAIT, confirm: yes });
      expect(yes).toHaveBeenCalledTimes(1);
      expect(gone.steps).toEqual(previews[0].steps);
      expect(await counts()).toEqual({ environments: 0, queues: 0, definitions: 0 });

      const nothing = await destroy(target.clients, { stacks: ['BatchStack'], wait: FAST_WAIT, confirm: unasked });
      expect(unasked).not.toHaveBeenCalled();
      expect(nothing).toEqual({ dryRun: false, declined: false, steps: [], skipped: [] });
    },
  );
});
