/** IAM through aws-sdk-client-mock: exact calls, order, idempotency and errors. */
import { BatchClient } from '@aws-sdk/client-batch';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  EntityAlreadyExistsException,
  GetInstanceProfileCommand,
  GetRoleCommand,
  IAMClient,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  DeleteRolePolicyCommand,
  NoSuchEntityException,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { applyPlan } from '../../lib/provisioner/apply/apply';
import { createClients } from '../../lib/provisioner/clients/factory';
import { createPlan, isEmptyPlan } from '../../lib/provisioner/plan/plan';
import { iamModel, loadTemplate } from './support';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROLE_ARN = 'arn:aws:iam::999999999999:role/InstanceRole-abc';
const ECS_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

const iam = mockClient(IAMClient);
const batch = mockClient(BatchClient);
const ec2 = mockClient(EC2Client);
const sleeps: number[] = [];
const clients = () =>
  createClients({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    retry: { sleep: async (ms) => void sleeps.push(ms) },
  });
const notFound = () => new NoSuchEntityException({ message: 'not found', $metadata: { httpStatusCode: 404 } });

function callNames(): string[] {
  return iam.calls().map((c) => c.args[0].constructor.name.replace(/Command$/, ''));
}

beforeEach(() => {
  iam.reset();
  batch.reset();
  ec2.reset();
  sleeps.length = 0;
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
  batch.onAnyCommand().resolves({}); // an account without Batch resources
});

test('creates the role, attaches its policy, then creates the profile and adds the role, in that order', async () => {
  iam.on(GetRoleCommand).rejects(notFound());
  iam.on(GetInstanceProfileCommand).rejects(notFound());
  iam.on(CreateRoleCommand).resolves({
    Role: { Arn: ROLE_ARN, RoleName: 'InstanceRole-abc', Path: '/', RoleId: 'x', CreateDate: new Date() },
  });
  iam.on(CreateInstanceProfileCommand).resolves({
    InstanceProfile: {
      Arn: 'arn:aws:iam::999999999999:instance-profile/InstanceProfile-abc',
      InstanceProfileName: 'InstanceProfile-abc',
      InstanceProfileId: 'i',
      Path: '/',
      Roles: [],
      CreateDate: new Date(),
    },
  });
  const c = clients();
  const plan = await createPlan(iamModel(), c);
  expect(plan.actions.map((a) => `${a.action} ${a.key}`)).toEqual([
    'create IamRole:InstanceRole-abc',
    'create InstanceProfile:InstanceProfile-abc',
  ]);
  expect(plan.actions[1].dependsOn).toEqual(['IamRole:InstanceRole-abc']);
  iam.resetHistory();
  const report = await applyPlan(plan, c, { iamSettleMs: 0 });
  expect(report.ok).toBe(true);
  expect(callNames()).toEqual(['CreateRole', 'AttachRolePolicy', 'CreateInstanceProfile', 'AddRoleToInstanceProfile']);
  expect(iam.commandCalls(CreateRoleCommand)[0].args[0].input).toEqual({
    RoleName: 'InstanceRole-abc',
    AssumeRolePolicyDocument: TRUST,
    Tags: [{ Key: 'batchkit:stack', Value: 'S1' }],
  });
  expect(iam.commandCalls(AttachRolePolicyCommand)[0].args[0].input).toEqual({
    RoleName: 'InstanceRole-abc',
    PolicyArn: ECS_POLICY,
  });
  expect(iam.commandCalls(AddRoleToInstanceProfileCommand)[0].args[0].input).toEqual({
    InstanceProfileName: 'InstanceProfile-abc',
    RoleName: 'InstanceRole-abc',
  });
  expect(report.resources['IamRole:InstanceRole-abc']).toEqual({ name: 'InstanceRole-abc', arn: ROLE_ARN });
});

test('when everything matches, the plan is empty and apply makes no IAM call', async () => {
  iam.on(GetRoleCommand).resolves({
    Role: {
      Arn: ROLE_ARN,
      RoleName: 'InstanceRole-abc',
      Path: '/',
      RoleId: 'x',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: encodeURIComponent(TRUST),
      Tags: [{ Key: 'batchkit:stack', Value: 'S1' }],
    },
  });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: ECS_POLICY, PolicyName: 'p' }] });
  iam.on(GetInstanceProfileCommand).resolves({
    InstanceProfile: {
      Arn: 'arn:x',
      InstanceProfileName: 'InstanceProfile-abc',
      InstanceProfileId: 'i',
      Path: '/',
      CreateDate: new Date(),
      Roles: [{ RoleName: 'InstanceRole-abc', Arn: ROLE_ARN, Path: '/', RoleId: 'x', CreateDate: new Date() }],
      Tags: [{ Key: 'batchkit:stack', Value: 'S1' }],
    },
  });
  const c = clients();
  const plan = await createPlan(iamModel(), c);
  expect(isEmptyPlan(plan)).toBe(true);
  iam.resetHistory();
  const report = await applyPlan(plan, c, { iamSettleMs: 0 });
  expect(report.done).toEqual([]);
  expect(iam.calls()).toHaveLength(0);
});

test('EntityAlreadyExists from a lost response or a concurrent run is read back and converged', async () => {
  iam
    .on(GetRoleCommand)
    .rejectsOnce(notFound())
    .resolves({
      Role: {
        Arn: ROLE_ARN,
        RoleName: 'InstanceRole-abc',
        Path: '/',
        RoleId: 'x',
        CreateDate: new Date(),
        Tags: [{ Key: 'batchkit:stack', Value: 'S1' }],
      },
    });
  iam.on(GetInstanceProfileCommand).rejects(notFound());
  iam.on(CreateRoleCommand).rejects(
    new EntityAlreadyExistsException({
      message: 'Role with name InstanceRole-abc already exists.',
      $metadata: { httpStatusCode: 409 },
    }),
  );
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
  iam.on(CreateInstanceProfileCommand).resolves({
    InstanceProfile: {
      Arn: 'arn:p',
      InstanceProfileName: 'InstanceProfile-abc',
      InstanceProfileId: 'i',
      Path: '/',
      Roles: [],
      CreateDate: new Date(),
    },
  });
  const c = clients();
  const plan = await createPlan(iamModel(), c);
  const before = iam.calls().length; // resetHistory would also rewind rejectsOnce
  const report = await applyPlan(plan, c, { iamSettleMs: 0 });
  expect(report.failed).toEqual([]);
  expect(callNames().slice(before)).toEqual([
    'CreateRole',
    'GetRole',
    'UpdateAssumeRolePolicy',
    'ListAttachedRolePolicies',
    'AttachRolePolicy',
    'ListRolePolicies',
    'CreateInstanceProfile',
    'AddRoleToInstanceProfile',
  ]);
  expect(iam.commandCalls(UpdateAssumeRolePolicyCommand)[0].args[0].input).toEqual({
    RoleName: 'InstanceRole-abc',
    PolicyDocument: TRUST,
  });
});

test(
  'a role of the same name that batchkit does not own stops the step, and ' + 'the profile is reported as not done',
  async () => {
    iam
      .on(GetRoleCommand)
      .rejectsOnce(notFound())
      .resolves({
        Role: { Arn: ROLE_ARN, RoleName: 'InstanceRole-abc', Path: '/', RoleId: 'x', CreateDate: new Date(), Tags: [] },
      });
    iam.on(GetInstanceProfileCommand).rejects(notFound());
    iam.on(CreateRoleCommand).rejects(new EntityAlreadyExistsException({ message: 'exists', $metadata: {} }));
    const c = clients();
    const plan = await createPlan(iamModel(), c);
    const report = await applyPlan(plan, c, { iamSettleMs: 0 });
    expect(report.ok).toBe(false);
    expect(report.failed).toEqual([
      {
        step: 'IamRole:InstanceRole-abc',
        message: expect.stringMatching(
          new RegExp(
            String.raw`IAM role "InstanceRole-abc" already exists and is not tagged` + String.raw` batchkit:stack=S1`,
          ),
        ),
      },
    ]);
    expect(report.notDone).toEqual(['InstanceProfile:InstanceProfile-abc']);
    expect(iam.commandCalls(CreateInstanceProfileCommand)).toHaveLength(0);
  },
);

test('an existing untagged role is a blocker: apply refuses before any call', async () => {
  iam.on(GetRoleCommand).resolves({
    Role: {
      Arn: ROLE_ARN,
      RoleName: 'InstanceRole-abc',
      Path: '/',
      RoleId: 'x',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: encodeURIComponent(TRUST),
    },
  });
  iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
  iam.on(GetInstanceProfileCommand).rejects(notFound());
  const c = clients();
  const plan = await createPlan(iamModel(), c);
  expect(plan.blockers).toEqual([
    expect.stringMatching(
      new RegExp(
        String.raw`IamRole "InstanceRole-abc" \(S1\/InstanceRole\) exists but h` +
          String.raw`as no batchkit:stack tag.*Fix: `,
      ),
    ),
  ]);
  iam.resetHistory();
  await expect(applyPlan(plan, c)).rejects.toMatchObject({ code: 'BATCHKIT-PROVISION-001', kind: 'input' });
  expect(iam.calls()).toHaveLength(0);
});

test('throttling is retried with growing backoff; other errors are not retried', async () => {
  const throttled = Object.assign(new Error('Rate exceeded'), {
    name: 'Throttling',
    $metadata: { httpStatusCode: 400 },
  });
  iam.on(GetRoleCommand).rejectsOnce(throttled).rejectsOnce(throttled).rejectsOnce(throttled).rejects(notFound());
  iam.on(GetInstanceProfileCommand).rejects(notFound());
  const plan = await createPlan(iamModel(), clients());
  expect(plan.actions[0].action).toBe('create');
  // 3 throttled attempts + 1 NoSuchEntity (not retried) for the role; 1 for the profile.
  expect(iam.commandCalls(GetRoleCommand)).toHaveLength(4);
  expect(iam.commandCalls(GetInstanceProfileCommand)).toHaveLength(1);
  expect(sleeps).toHaveLength(3);
  // Full jitter over 200, 400, 800 ms caps: each delay is within [cap/2, cap].
  [200, 400, 800].forEach((cap, i) => {
    expect(sleeps[i]).toBeGreaterThanOrEqual(cap / 2);
    expect(sleeps[i]).toBeLessThanOrEqual(cap);
  });
});

describe("inline policies (a role's Policies and AWS::IAM::Policy, as CDK grants write them)", () => {
  const policyDoc = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }],
  };
  const template = {
    Resources: {
      JobRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'job-role',
          AssumeRolePolicyDocument: {
            Statement: [
              { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
            ],
          },
          Policies: [
            {
              PolicyName: 'logs',
              PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] },
            },
          ],
        },
      },
      JobRoleDefaultPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: { PolicyName: 'JobRoleDefaultPolicy', PolicyDocument: policyDoc, Roles: [{ Ref: 'JobRole' }] },
      },
    },
  };
  const load = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bk-iam-'));
    const model = loadTemplate(template, 'IamStack', dir);
    return { model, appPath: path.join(dir, 'IamStack.template.json') };
  };
  const owned = {
    Role: {
      Arn: 'arn:aws:iam::9:role/job-role',
      RoleName: 'job-role',
      Path: '/',
      RoleId: 'x',
      CreateDate: new Date(),
      AssumeRolePolicyDocument: encodeURIComponent(
        JSON.stringify({
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      ),
      Tags: [{ Key: 'batchkit:stack', Value: 'IamStack' }],
    },
  };

  test('a new role gets each inline policy with PutRolePolicy', async () => {
    iam.on(GetRoleCommand).rejects(notFound());
    iam.on(CreateRoleCommand).resolves({ Role: owned.Role });
    const { model, appPath } = load();
    const c = clients();
    const report = await applyPlan(await createPlan(model, c, { appPath }), c, { iamSettleMs: 0 });
    expect(report.ok).toBe(true);
    expect(iam.commandCalls(PutRolePolicyCommand).map((x) => x.args[0].input)).toEqual([
      {
        RoleName: 'job-role',
        PolicyName: 'logs',
        PolicyDocument: JSON.stringify({
          Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }],
        }),
      },
      { RoleName: 'job-role', PolicyName: 'JobRoleDefaultPolicy', PolicyDocument: JSON.stringify(policyDoc) },
    ]);
  });

  test(
    'a changed policy is put again and a policy no longer in the app is ' + 'deleted; equal documents are no-ops',
    async () => {
      iam.on(GetRoleCommand).resolves(owned);
      iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
      iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: ['logs', 'JobRoleDefaultPolicy', 'old'] });
      iam.on(GetRolePolicyCommand, { PolicyName: 'logs' }).resolves({
        RoleName: 'job-role',
        PolicyName: 'logs',
        PolicyDocument: encodeURIComponent(
          JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] }),
        ),
      });
      iam.on(GetRolePolicyCommand, { PolicyName: 'JobRoleDefaultPolicy' }).resolves({
        RoleName: 'job-role',
        PolicyName: 'JobRoleDefaultPolicy',
        PolicyDocument: encodeURIComponent(JSON.stringify({ ...policyDoc, Statement: [] })),
      });
      iam
        .on(GetRolePolicyCommand, { PolicyName: 'old' })
        .resolves({ RoleName: 'job-role', PolicyName: 'old', PolicyDocument: encodeURIComponent('{"Statement":[]}') });
      const { model, appPath } = load();
      const c = clients();
      const plan = await createPlan(model, c, { appPath });
      expect(plan.actions[0].changes.map((x) => x.field)).toEqual(['Policies.JobRoleDefaultPolicy', 'Policies.old']);
      const report = await applyPlan(plan, c, { iamSettleMs: 0 });
      expect(report.ok).toBe(true);
      expect(iam.commandCalls(DeleteRolePolicyCommand).map((x) => x.args[0].input)).toEqual([
        { RoleName: 'job-role', PolicyName: 'old' },
      ]);
      expect(iam.commandCalls(PutRolePolicyCommand).map((x) => x.args[0].input.PolicyName)).toEqual([
        'logs',
        'JobRoleDefaultPolicy',
      ]);
    },
  );
});
