/** apply stops at the first failure with a report, and a second apply converges; INVALID carries AWS's reason. */
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  RegisterJobDefinitionCommand,
} from '@aws-sdk/client-batch';
import { mockClient } from 'aws-sdk-client-mock';
import { applyPlan, renderApplyReport } from '../../lib/provisioner/apply/apply';
import { createClients } from '../../lib/provisioner/clients/factory';
import type { ProvisionerClients } from '../../lib/provisioner/clients/interfaces';
import { createPlan } from '../../lib/provisioner/plan/plan';
import { FAST_WAIT, batchTemplate, loadTemplate, startLocalTarget, type LocalTarget } from './support';

describe('against the local Batch API', () => {
  let target: LocalTarget;
  beforeEach(async () => {
    target = await startLocalTarget();
  });
  afterEach(async () => {
    await target.close();
  });

  test('a failed step stops the apply with a report; running apply again converges', async () => {
    let fail = true;
    const flaky: ProvisionerClients = {
      ...target.clients,
      batch: {
        ...target.clients.batch,
        createJobQueue: async (input) => {
          if (fail) {
            fail = false;
            throw Object.assign(new Error('Service unavailable for this account'), { name: 'ClientException' });
          }
          return target.clients.batch.createJobQueue(input);
        },
      },
    };
    const model = loadTemplate(batchTemplate());
    const report = await applyPlan(await createPlan(model, flaky), flaky, { wait: FAST_WAIT, concurrency: 1 });
    expect(report.ok).toBe(false);
    expect(report.done).toEqual([expect.stringMatching(/^ComputeEnvironment:/)]);
    expect(report.failed).toEqual([
      { step: expect.stringMatching(/^JobQueue:/), message: 'Service unavailable for this account' },
    ]);
    expect(report.notDone).toEqual([expect.stringMatching(/^JobDefinition:/)]);
    expect(renderApplyReport(report)).toMatch(
      /Apply stopped: 1 done, 1 failed, 1 not started\. Fix the failure and run `batchkit apply` again/,
    );

    const again = await createPlan(model, flaky);
    expect(again.actions.map((a) => a.action)).toEqual(['no-op', 'create', 'create']);
    const second = await applyPlan(again, flaky, { wait: FAST_WAIT });
    expect(second.ok).toBe(true);
    expect((await createPlan(model, flaky)).actions.every((a) => a.action === 'no-op')).toBe(true);
  });
});

test(
  'a compute environment that turns INVALID fails its step with AWS ' + 'status reason; dependants are not started',
  async () => {
    const batch = mockClient(BatchClient);
    try {
      batch.onAnyCommand().resolves({});
      batch.on(DescribeComputeEnvironmentsCommand, {}).resolves({ computeEnvironments: [] });
      batch.on(DescribeJobQueuesCommand).resolves({ jobQueues: [] });
      batch.on(DescribeJobDefinitionsCommand).resolves({ jobDefinitions: [] });
      batch.on(RegisterJobDefinitionCommand).resolves({
        jobDefinitionArn: 'arn:aws:batch:us-east-1:1:job-definition/x:1',
        jobDefinitionName: 'x',
        revision: 1,
      });
      batch.on(CreateComputeEnvironmentCommand).callsFake((input: { computeEnvironmentName: string }) => {
        batch.on(DescribeComputeEnvironmentsCommand, { computeEnvironments: [input.computeEnvironmentName] }).resolves({
          computeEnvironments: [
            {
              computeEnvironmentName: input.computeEnvironmentName,
              computeEnvironmentArn: 'arn:ce',
              ecsClusterArn: 'arn:ecs',
              status: 'INVALID',
              statusReason: 'CLIENT_ERROR - The security group sg-0123456789abcdef0 does not exist',
            },
          ],
        });
        return { computeEnvironmentName: input.computeEnvironmentName, computeEnvironmentArn: 'arn:ce' };
      });
      const clients = createClients({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      const plan = await createPlan(loadTemplate(batchTemplate()), clients);
      const report = await applyPlan(plan, clients, { wait: FAST_WAIT, concurrency: 1 });
      expect(report.failed).toEqual([
        {
          step: expect.stringMatching(/^ComputeEnvironment:/),
          message: expect.stringMatching(
            new RegExp(
              String.raw`is INVALID: CLIENT_ERROR - The security group sg-0123456789a` +
                String.raw`bcdef0 does not exist\. Fix: `,
            ),
          ),
        },
      ]);
      expect(report.notDone).toEqual([expect.stringMatching(/^JobQueue:/), expect.stringMatching(/^JobDefinition:/)]);
    } finally {
      batch.restore();
    }
  },
);
