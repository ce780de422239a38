/**
 * References across services: a compute environment's instance profile and a job definition's job
 * role are created in IAM (mocked, in another account than the template's placeholder) and the
 * local Batch API receives the real ARNs; a second plan maps them back and is empty.
 */
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { applyPlan } from '../../lib/provisioner/apply/apply';
import { createPlan, isEmptyPlan } from '../../lib/provisioner/plan/plan';
import { FAST_WAIT, batchTemplate, loadTemplate, startLocalTarget, type LocalTarget } from './support';

const ACCOUNT = '999999999999';

function template(): Record<string, unknown> {
  const t = batchTemplate() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  (t.Resources.Compute.Properties.ComputeResources as Record<string, unknown>).InstanceRole = {
    'Fn::GetAtt': ['Profile', 'Arn'],
  };
  (t.Resources.Hello.Properties.ContainerProperties as Record<string, unknown>).JobRoleArn = {
    'Fn::GetAtt': ['JobRole', 'Arn'],
  };
  const trust = (service: string) => ({
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
  t.Resources.InstanceRole = {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: trust('ec2.amazonaws.com'),
      ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role'],
    },
  };
  t.Resources.Profile = { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [{ Ref: 'InstanceRole' }] } };
  t.Resources.JobRole = {
    Type: 'AWS::IAM::Role',
    Properties: { AssumeRolePolicyDocument: trust('ecs-tasks.amazonaws.com') },
  };
  return t;
}

/** IAM that remembers what was created. */
function statefulIam(target: LocalTarget): void {
  const roles = new Map<
    string,
    {
      Arn: string;
      RoleName: string;
      Tags: Array<{ Key: string; Value: string }>;
      AssumeRolePolicyDocument: string;
      policies: string[];
    }
  >();
  const profiles = new Map<
    string,
    { Arn: string; InstanceProfileName: string; Tags: Array<{ Key: string; Value: string }>; roles: string[] }
  >();
  const missing = () => new NoSuchEntityException({ message: 'not found', $metadata: { httpStatusCode: 404 } });
  const iam = target.iam;
  iam.on(GetRoleCommand).callsFake((i: { RoleName: string }) => {
    const r = roles.get(i.RoleName);
    if (!r) throw missing();
    return { Role: { ...r, Path: '/', RoleId: 'id', CreateDate: new Date() } };
  });
  iam
    .on(CreateRoleCommand)
    .callsFake(
      (i: { RoleName: string; AssumeRolePolicyDocument: string; Tags: Array<{ Key: string; Value: string }> }) => {
        const r = {
          Arn: `arn:aws:iam::${ACCOUNT}:role/${i.RoleName}`,
          RoleName: i.RoleName,
          Tags: i.Tags,
          AssumeRolePolicyDocument: encodeURIComponent(i.AssumeRolePolicyDocument),
          policies: [],
        };
        roles.set(i.RoleName, r);
        return { Role: { ...r, Path: '/', RoleId: 'id', CreateDate: new Date() } };
      },
    );
  iam.on(ListAttachedRolePoliciesCommand).callsFake((i: { RoleName: string }) => ({
    AttachedPolicies: (roles.get(i.RoleName)?.policies ?? []).map((PolicyArn) => ({ PolicyArn })),
  }));
  iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
  iam.on(GetInstanceProfileCommand).callsFake((i: { InstanceProfileName: string }) => {
    const p = profiles.get(i.InstanceProfileName);
    if (!p) throw missing();
    return {
      InstanceProfile: {
        ...p,
        Path: '/',
        InstanceProfileId: 'id',
        CreateDate: new Date(),
        Roles: p.roles.map((RoleName) => ({
          RoleName,
          Arn: roles.get(RoleName)!.Arn,
          Path: '/',
          RoleId: 'id',
          CreateDate: new Date(),
        })),
      },
    };
  });
  iam
    .on(CreateInstanceProfileCommand)
    .callsFake((i: { InstanceProfileName: string; Tags: Array<{ Key: string; Value: string }> }) => {
      const p = {
        Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${i.InstanceProfileName}`,
        InstanceProfileName: i.InstanceProfileName,
        Tags: i.Tags,
        roles: [] as string[],
      };
      profiles.set(i.InstanceProfileName, p);
      return { InstanceProfile: { ...p, Path: '/', InstanceProfileId: 'id', CreateDate: new Date(), Roles: [] } };
    });
  iam.on(AddRoleToInstanceProfileCommand).callsFake((i: { InstanceProfileName: string; RoleName: string }) => {
    profiles.get(i.InstanceProfileName)!.roles.push(i.RoleName);
    return {};
  });
  iam.on(AttachRolePolicyCommand).callsFake((i: { RoleName: string; PolicyArn: string }) => {
    roles.get(i.RoleName)!.policies.push(i.PolicyArn);
    return {};
  });
}

describe('references between IAM and Batch', () => {
  let target: LocalTarget;
  beforeEach(async () => {
    target = await startLocalTarget();
    statefulIam(target);
  });
  afterEach(async () => {
    await target.close();
  });

  test('Batch receives the real ARNs of roles and profiles, and the next plan is empty', async () => {
    const model = loadTemplate(template());
    expect(model.computeEnvironments[0].computeResources?.instanceRole).toMatch(
      /^arn:aws:iam::123456789012:instance-profile\/Profile-/,
    );
    const plan = await createPlan(model, target.clients);
    const ce = plan.actions.find((a) => a.kind === 'ComputeEnvironment')!;
    const jd = plan.actions.find((a) => a.kind === 'JobDefinition')!;
    expect(ce.dependsOn).toEqual([expect.stringMatching(/^InstanceProfile:Profile-/)]);
    expect(jd.dependsOn).toEqual([expect.stringMatching(/^IamRole:JobRole-/)]);
    const report = await applyPlan(plan, target.clients, { wait: FAST_WAIT, iamSettleMs: 0 });
    expect(report.failed).toEqual([]);

    const env = (await target.clients.batch.describeComputeEnvironments({ computeEnvironments: [ce.name] }))
      .computeEnvironments![0];
    expect(env.computeResources?.instanceRole).toMatch(
      new RegExp(`^arn:aws:iam::${ACCOUNT}:instance-profile/Profile-[0-9a-f]{12}$`),
    );
    const def = (await target.clients.batch.describeJobDefinitions({ jobDefinitionName: jd.name, status: 'ACTIVE' }))
      .jobDefinitions![0];
    expect(def.containerProperties?.jobRoleArn).toMatch(
      new RegExp(`^arn:aws:iam::${ACCOUNT}:role/JobRole-[0-9a-f]{12}$`),
    );

    const again = await createPlan(model, target.clients);
    expect(again.actions.filter((a) => a.action !== 'no-op').map((a) => `${a.key} ${a.reasons.join('; ')}`)).toEqual(
      [],
    );
    expect(isEmptyPlan(again)).toBe(true);
  });
});
