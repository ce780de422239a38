/**
 * Launch template data changes end to end: the plan shows the launch template update (a new
 * version made the default) and the compute environment change it causes; apply sends
 * CreateLaunchTemplateVersion, then ModifyLaunchTemplate with that version, then updates (or
 * replaces) the compute environment with the new version number; a second apply does nothing.
 */
import type { UpdateComputeEnvironmentCommandInput } from '@aws-sdk/client-batch';
import { applyPlan } from '../../lib/provisioner/apply/apply';
import type { ProvisionerClients } from '../../lib/provisioner/clients/interfaces';
import { actionOf, changed, NetScenario, type Resources } from './net-scenario';
import { FAST_WAIT } from './support';

function ltResources(
  o: { version?: unknown; strategy?: string; data?: Record<string, unknown>; name?: string } = {},
): Resources {
  const vpc = { Ref: 'Vpc' };
  return {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    Subnet: {
      Type: 'AWS::EC2::Subnet',
      Properties: { VpcId: vpc, CidrBlock: '10.0.0.0/24', AvailabilityZone: 'us-east-1a' },
    },
    Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'batch', VpcId: vpc } },
    Lt: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: {
        ...(o.name ? { LaunchTemplateName: o.name } : {}),
        LaunchTemplateData: o.data ?? {
          MetadataOptions: { HttpTokens: 'optional' },
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 50 } }],
        },
      },
    },
    Compute: {
      Type: 'AWS::Batch::ComputeEnvironment',
      Properties: {
        Type: 'MANAGED',
        ComputeEnvironmentName: 'lt-ce',
        ComputeResources: {
          Type: 'EC2',
          AllocationStrategy: o.strategy ?? 'BEST_FIT_PROGRESSIVE',
          MinvCpus: 0,
          MaxvCpus: 16,
          InstanceTypes: ['m6i'],
          Subnets: [{ Ref: 'Subnet' }],
          SecurityGroupIds: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }],
          InstanceRole: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
          LaunchTemplate: {
            LaunchTemplateId: { Ref: 'Lt' },
            ...(o.version === undefined ? {} : { Version: o.version }),
          },
        },
      },
    },
    Queue: {
      Type: 'AWS::Batch::JobQueue',
      Properties: {
        JobQueueName: 'lt-queue',
        Priority: 1,
        ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: { Ref: 'Compute' } }],
      },
    },
  };
}

const NEW_DATA = {
  MetadataOptions: { HttpTokens: 'required' },
  BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 50 } }],
};
const LATEST = { 'Fn::GetAtt': ['Lt', 'LatestVersionNumber'] };

/**
 * The scenario's clients with every Batch UpdateComputeEnvironment / CreateComputeEnvironment logged into `log`
 * next to the EC2 calls.
 */
function spied(s: NetScenario, log: string[]): ProvisionerClients {
  const base = s.target.clients;
  const ec2Log = (name: string) => (i: object) => {
    log.push(name);
    return (base.ec2 as unknown as Record<string, (x: object) => Promise<unknown>>)[name](i);
  };
  return {
    ...base,
    batch: {
      ...base.batch,
      updateComputeEnvironment: (i: UpdateComputeEnvironmentCommandInput) => {
        log.push(`updateComputeEnvironment ${JSON.stringify(i.computeResources?.launchTemplate ?? null)}`);
        return base.batch.updateComputeEnvironment(i);
      },
      createComputeEnvironment: (i) => {
        log.push(
          `createComputeEnvironment ${i.computeEnvironmentName} ` +
            `${JSON.stringify(i.computeResources?.launchTemplate ?? null)}`,
        );
        return base.batch.createComputeEnvironment(i);
      },
    },
    ec2: {
      ...base.ec2,
      createLaunchTemplateVersion: ec2Log('createLaunchTemplateVersion'),
      modifyLaunchTemplate: ec2Log('modifyLaunchTemplate'),
    } as ProvisionerClients['ec2'],
  };
}

async function ceLaunchTemplate(s: NetScenario, name: string): Promise<unknown> {
  return (await s.target.clients.batch.describeComputeEnvironments({ computeEnvironments: [name] }))
    .computeEnvironments?.[0]?.computeResources?.launchTemplate;
}

describe('launch template updates', () => {
  let s: NetScenario;
  beforeEach(async () => {
    s = new NetScenario('LtStack');
    await s.start();
  });
  afterEach(async () => {
    await s.stop();
  });

  test(
    'Fn::GetAtt LatestVersionNumber: new version, made the default, then ' + 'the environment is updated to it',
    async () => {
      await s.deploy(ltResources({ version: LATEST }));
      const lt = s.id('Lt');
      expect(await ceLaunchTemplate(s, 'lt-ce')).toEqual({ launchTemplateId: lt, version: '1' });
      await s.expectConverged();

      s.write(ltResources({ version: LATEST, data: NEW_DATA }));
      const plan = await s.plan();
      expect(changed(plan)).toEqual(['update LaunchTemplate Lt', 'update ComputeEnvironment lt-ce']);
      expect(actionOf(plan, 'LaunchTemplate Lt').reasons).toEqual([
        'launch template data changed: creates version 2 with the new data and makes it the default version',
        'LaunchTemplateData.MetadataOptions.HttpTokens: "optional" → "required"',
      ]);
      expect(actionOf(plan, 'ComputeEnvironment lt-ce').reasons).toEqual([
        'computeResources.launchTemplate: {"launchTemplateId":"ref(Network:LtStack/Lt)","version":"1"} → ' +
          '{"launchTemplateId":"ref(Network:LtStack/Lt)","version":"2"}',
      ]);
      expect(actionOf(plan, 'ComputeEnvironment lt-ce').dependsOn).toContain('Network:LtStack/Lt');

      const log: string[] = [];
      s.clients = () => spied(s, log);
      s.target.ec2.resetHistory();
      await s.apply(plan);
      expect(s.ec2.mutations()).toEqual([
        { name: 'CreateLaunchTemplateVersion', input: { LaunchTemplateId: lt, LaunchTemplateData: NEW_DATA } },
        { name: 'ModifyLaunchTemplate', input: { LaunchTemplateId: lt, DefaultVersion: '2' } },
      ]);
      expect(log).toEqual([
        'createLaunchTemplateVersion',
        'modifyLaunchTemplate',
        `updateComputeEnvironment {"launchTemplateId":"${lt}","version":"2"}`,
      ]);
      expect(await ceLaunchTemplate(s, 'lt-ce')).toEqual({ launchTemplateId: lt, version: '2' });
      expect(s.ec2.items.lt[0]).toMatchObject({ LatestVersionNumber: 2, DefaultVersionNumber: 2 });

      log.length = 0;
      await s.expectConverged();
      expect(log).toEqual([]);
    },
  );

  test.each([
    ['$Latest', '$Latest'],
    ['$Default', '$Default'],
    ['no version (Batch reads it as $Default)', undefined],
  ])('%s: the environment gets the version number, and the new one after an update', async (_label, version) => {
    await s.deploy(ltResources({ version }));
    const lt = s.id('Lt');
    expect(await ceLaunchTemplate(s, 'lt-ce')).toEqual({ launchTemplateId: lt, version: '1' });
    await s.expectConverged();

    s.write(ltResources({ version, data: NEW_DATA }));
    const plan = await s.plan();
    expect(changed(plan)).toEqual(['update LaunchTemplate Lt', 'update ComputeEnvironment lt-ce']);
    expect(actionOf(plan, 'ComputeEnvironment lt-ce').changes.map((c) => c.to)).toEqual([
      { launchTemplateId: 'ref(Network:LtStack/Lt)', version: '2' },
    ]);
    await s.apply(plan);
    expect(await ceLaunchTemplate(s, 'lt-ce')).toEqual({ launchTemplateId: lt, version: '2' });
    await s.expectConverged();
  });

  test(
    'BEST_FIT: the environment cannot take an infrastructure update, so it ' +
      'is replaced with one on the new version',
    async () => {
      await s.deploy(ltResources({ version: LATEST, strategy: 'BEST_FIT' }));
      s.write(ltResources({ version: LATEST, strategy: 'BEST_FIT', data: NEW_DATA }));
      const plan = await s.plan();
      expect(changed(plan)).toEqual([
        'update LaunchTemplate Lt',
        'replace ComputeEnvironment lt-ce',
        'update JobQueue lt-queue',
      ]);
      expect(plan.blockers).toEqual([]);
      expect(actionOf(plan, 'ComputeEnvironment lt-ce').reasons).toEqual([
        'computeResources.launchTemplate: {"launchTemplateId":"ref(Network:LtStack/Lt)","version":"1"} → ' +
          '{"launchTemplateId":"ref(Network:LtStack/Lt)","version":"2"} — replacement: ' +
          'computeResources.launchTemplate needs an infrastructure update and the ' +
          'existing environment uses allocation strategy BEST_FIT, which does not ' +
          'support infrastructure updates (only BEST_FIT_PROGRESSIVE, ' +
          'SPOT_CAPACITY_OPTIMIZED, SPOT_PRICE_CAPACITY_OPTIMIZED do)',
      ]);
      const log: string[] = [];
      s.clients = () => spied(s, log);
      await s.apply(plan);
      const lt = s.id('Lt');
      expect(log.slice(0, 3)).toEqual([
        'createLaunchTemplateVersion',
        'modifyLaunchTemplate',
        `createComputeEnvironment lt-ce-2 {"launchTemplateId":"${lt}","version":"2"}`,
      ]);
      expect(await ceLaunchTemplate(s, 'lt-ce-2')).toEqual({ launchTemplateId: lt, version: '2' });
      await s.expectConverged();
    },
  );

  test('a pinned version number stays: only the launch template gets a new version', async () => {
    await s.deploy(ltResources({ version: '1' }));
    s.write(ltResources({ version: '1', data: NEW_DATA }));
    const plan = await s.plan();
    expect(changed(plan)).toEqual(['update LaunchTemplate Lt']);
    await s.apply(plan);
    expect(await ceLaunchTemplate(s, 'lt-ce')).toEqual({ launchTemplateId: s.id('Lt'), version: '1' });
    await s.expectConverged();
  });

  test(
    'an environment that holds $Latest (created before versions were ' +
      'pinned) is left alone until the template gets a new version',
    async () => {
      await s.deploy(ltResources({ version: '$Latest' }));
      const lt = s.id('Lt');
      await s.target.clients.batch.updateComputeEnvironment({
        computeEnvironment: 'lt-ce',
        computeResources: { launchTemplate: { launchTemplateId: lt, version: '$Latest' } },
      });
      await s.expectConverged();
      expect(await ceLaunchTemplate(s, 'lt-ce')).toEqual({ launchTemplateId: lt, version: '$Latest' });

      s.write(ltResources({ version: '$Latest', data: NEW_DATA }));
      const plan = await s.plan();
      expect(changed(plan)).toEqual(['update LaunchTemplate Lt', 'update ComputeEnvironment lt-ce']);
      expect(actionOf(plan, 'ComputeEnvironment lt-ce').reasons).toEqual([
        'computeResources.launchTemplate: {"launchTemplateId":"ref(Network:LtStack/Lt)","version":"$Latest"} → ' +
          '{"launchTemplateId":"ref(Network:LtStack/Lt)","version":"2"}',
      ]);
      await s.apply(plan);
      expect(await ceLaunchTemplate(s, 'lt-ce')).toEqual({ launchTemplateId: lt, version: '2' });
      await s.expectConverged();
    },
  );

  test('a renamed launch template is a blocker with the fix', async () => {
    await s.deploy(ltResources({ version: LATEST, name: 'workers' }));
    s.write(ltResources({ version: LATEST, name: 'workers-v2' }));
    const plan = await s.plan();
    expect(actionOf(plan, 'LaunchTemplate Lt').action).toBe('replace');
    expect(plan.blockers).toEqual([
      `LaunchTemplate ${s.id('Lt')} (logical id Lt in stack LtStack, ` +
        `AWS::EC2::LaunchTemplate): LaunchTemplateName would change from "workers" to "workers-v2", ` +
        'which needs a new LaunchTemplate: EC2 cannot rename a launch template. ' +
        'batchkit does not replace networking in place. ' +
        'Fix: keep LaunchTemplateName "workers" in the app, or run `batchkit ' +
        'destroy --stack LtStack` and then `batchkit apply` to recreate the stack with the new value.',
    ]);
  });

  test('metadata state EC2 adds and numbers written as strings do not count as changes', async () => {
    await s.deploy(
      ltResources({
        version: LATEST,
        data: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } },
      }),
    );
    s.write(
      ltResources({
        version: LATEST,
        data: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: '2' } },
      }),
    );
    await s.expectConverged();
  });
});

describe('an apply interrupted between the new version and the default', () => {
  let s: NetScenario;
  beforeEach(async () => {
    s = new NetScenario('LtStack');
    await s.start();
  });
  afterEach(async () => {
    await s.stop();
  });

  test('the next plan makes the existing new version the default instead of creating another', async () => {
    await s.deploy(ltResources({ version: LATEST }));
    s.write(ltResources({ version: LATEST, data: NEW_DATA }));
    const base = s.target.clients;
    let failures = 1;
    s.clients = () => ({
      ...base,
      ec2: {
        ...base.ec2,
        modifyLaunchTemplate: (i) => {
          if (failures-- > 0)
            return Promise.reject(Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' }));
          return base.ec2.modifyLaunchTemplate(i);
        },
      },
    });
    const first = await applyPlanReport(s, await s.plan());
    expect(first.failed.map((f) => f.step)).toEqual(['Network:LtStack/Lt']);
    expect(s.ec2.items.lt[0]).toMatchObject({ LatestVersionNumber: 2, DefaultVersionNumber: 1 });

    const plan = await s.plan();
    expect(changed(plan)).toEqual(['update LaunchTemplate Lt', 'update ComputeEnvironment lt-ce']);
    expect(actionOf(plan, 'LaunchTemplate Lt').reasons).toEqual([
      'DefaultVersionNumber: 1 → 2: version 2 already has the new data and becomes the default',
    ]);
    const lt = s.id('Lt');
    expect(await s.applyAndRecord(plan)).toEqual([
      { name: 'ModifyLaunchTemplate', input: { LaunchTemplateId: lt, DefaultVersion: '2' } },
    ]);
    expect(await ceLaunchTemplate(s, 'lt-ce')).toEqual({ launchTemplateId: lt, version: '2' });
    await s.expectConverged();
  });
});

async function applyPlanReport(s: NetScenario, plan: Awaited<ReturnType<NetScenario['plan']>>) {
  s.target.ec2.resetHistory();
  return applyPlan(plan, s.clients(), { wait: FAST_WAIT, iamSettleMs: 0 });
}
