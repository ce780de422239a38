/**
 * The provisioning commands end to end: `batchkit plan/apply/destroy/submit/doctor` in-process
 * against the local Batch API (IAM and EC2 mocked), and the CLI as a child process for its output.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { cli } from '../../lib/cli';
import { batchTemplate, startLocalTarget, type LocalTarget } from '../provisioner/support';

const REPO = path.resolve(__dirname, '..', '..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await cli(['node', 'batchkit', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = 0;
  }
}

describe('batchkit plan / apply / submit / doctor / destroy against the local Batch API', () => {
  let target: LocalTarget;
  let app: string;
  let aws: string[];
  /** `--poll-seconds`, on the commands that wait (apply, destroy, submit). */
  const wait = ['--poll-seconds', '0.01'];
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
  });
  afterAll(() => {
    process.env = saved;
  });
  beforeEach(async () => {
    target = await startLocalTarget();
    const dir = mkdtempSync(path.join(tmpdir(), 'bk-cli-prov-'));
    app = path.join(dir, 'BatchStack.template.json');
    writeFileSync(app, JSON.stringify(batchTemplate()));
    aws = ['--app', app, '--region', 'us-east-1', '--endpoint-url', target.service.server.url];
  });
  afterEach(async () => {
    await target.close();
  });

  test('plan, apply, plan again, submit, doctor, destroy', async () => {
    const plan = await run(['plan', ...aws]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/^\+ {3}create {2}ComputeEnvironment Compute-[0-9a-f]{12}\n {6}does not exist\n/);
    expect(plan.stdout).toMatch(/Plan: 3 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged\.\n$/);
    // Only Batch has an endpoint: IAM and EC2 are left alone, and the user is told so.
    expect(plan.stderr).toMatch(
      new RegExp(
        String.raw`--endpoint-url without --iam-endpoint-url\/--ec2-endpoint-ur` +
          String.raw`l: only AWS Batch resources are handled`,
      ),
    );
    expect(target.ec2.calls()).toHaveLength(0);
    expect(target.iam.calls()).toHaveLength(0);

    const apply = await run(['apply', ...aws, ...wait, '--iam-settle-seconds', '0', '--yes']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toMatch(/Apply complete: 3 step\(s\)\.\n$/);
    expect(apply.stderr).toMatch(/compute environment Compute-[0-9a-f]{12} is VALID/);

    const again = await run(['plan', ...aws, '--json']);
    const json = JSON.parse(again.stdout) as { actions: Array<{ action: string }>; blockers: string[] };
    expect(json.actions.map((a) => a.action)).toEqual(['no-op', 'no-op', 'no-op']);
    expect(json.blockers).toEqual([]);

    const queue = (await target.clients.batch.describeJobQueues({})).jobQueues![0].jobQueueName!;
    const definition = (await target.clients.batch.describeJobDefinitions({ status: 'ACTIVE' })).jobDefinitions![0]
      .jobDefinitionName!;
    const ok = await run([
      'submit',
      ...aws.slice(2),
      ...wait,
      '--job-queue',
      queue,
      '--job-definition',
      definition,
      '--',
      'echo',
      'hi',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^[0-9a-f-]{36} SUCCEEDED \(Essential container in task exited\)\n$/);
    expect(ok.stderr).toMatch(/: SUBMITTED|: RUNNABLE|: STARTING|: RUNNING/);
    expect(ok.stderr).toMatch(/logs: CloudWatch Logs group \/aws\/batch\/job, stream Hello-[0-9a-f]{12}\/default\/\S+/);

    const failed = await run([
      'submit',
      ...aws.slice(2),
      ...wait,
      '--job-queue',
      queue,
      '--job-definition',
      definition,
      '--command',
      'sh -c fail',
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/FAILED/);

    // A healthy account around the environment: profile with the ECS policy, egress, a NAT route.
    target.iam.on(GetInstanceProfileCommand).resolves({
      InstanceProfile: {
        Arn: 'arn:p',
        InstanceProfileName: 'ecsInstanceRole',
        InstanceProfileId: 'i',
        Path: '/',
        CreateDate: new Date(),
        Roles: [{ RoleName: 'ecsInstanceRole', Arn: 'arn:r', Path: '/', RoleId: 'r', CreateDate: new Date() }],
      },
    });
    target.iam
      .on(ListAttachedRolePoliciesCommand)
      .resolves({ AttachedPolicies: [{ PolicyName: 'AmazonEC2ContainerServiceforEC2Role' }] });
    target.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: 'sg-0123456789abcdef0', IpPermissionsEgress: [{ IpProtocol: '-1' }] }] });
    target.ec2
      .on(DescribeSubnetsCommand)
      .resolves({ Subnets: [{ SubnetId: 'subnet-0123456789abcdef0', VpcId: 'vpc-1' }] });
    target.ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        {
          VpcId: 'vpc-1',
          Associations: [{ Main: true }],
          Routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1' }],
        },
      ],
    });
    // The mocks answer for IAM and EC2; these endpoints are never contacted.
    const all = [...aws, '--iam-endpoint-url', 'http://127.0.0.1:9', '--ec2-endpoint-url', 'http://127.0.0.1:9'];
    const doctor = await run(['doctor', ...all, '--live']);
    expect(doctor.stderr).toBe('');
    expect(doctor.stdout).toBe('No reason found for jobs to stay RUNNABLE.\n');
    expect(doctor.code).toBe(0);
    // Without the NAT route the same command names the subnet and exits 1.
    target.ec2
      .on(DescribeRouteTablesCommand)
      .resolves({ RouteTables: [{ VpcId: 'vpc-1', Associations: [{ Main: true }], Routes: [] }] });
    const sick = await run(['doctor', ...all, '--live']);
    expect(sick.code).toBe(1);
    expect(sick.stdout).toMatch(
      new RegExp(
        String.raw`ComputeEnvironment "Compute-[0-9a-f]{12}"\n  ERROR   BATCHKI` +
          String.raw`T-DOCTOR-012  .*subnet-0123456789abcdef0`,
      ),
    );

    // The EC2 answers above ignore filters; the account has nothing tagged for the stack.
    target.ec2.reset();
    target.ec2.onAnyCommand().resolves({});
    const dry = await run(['destroy', ...aws, ...wait, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^would disable +JobQueue Queue-/);
    expect(dry.stdout).toMatch(/Dry run: 5 step\(s\) would run; nothing was changed\.\n$/);
    const gone = await run(['destroy', ...aws, ...wait, '--yes']);
    expect(gone.stdout).toMatch(/Destroy complete: 5 step\(s\)\.\n$/);
    expect(target.ec2.calls()).toHaveLength(0);
    expect((await run(['plan', ...aws])).stdout).toMatch(/Plan: 3 to create/);
  });

  test('bad input exits 2 with what was wrong and the fix', async () => {
    const noQueue = await run([
      'submit',
      '--job-definition',
      'x',
      '--region',
      'us-east-1',
      '--endpoint-url',
      target.service.server.url,
    ]);
    expect(noQueue.code).toBe(2);
    expect(noQueue.stderr).toMatch(
      new RegExp(
        String.raw`BATCHKIT-CLI-PROVISION-003: batchkit submit needs --job-queu` +
          String.raw`e\. Fix: pass --job-queue`,
      ),
    );
    const badUrl = await run(['plan', '--app', app, '--endpoint-url', 'localhost:8000']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(
      new RegExp(
        String.raw`--endpoint-url "localhost:8000" is not an http\(s\) URL\. Fi` +
          String.raw`x: pass e\.g\. --endpoint-url http:\/\/127\.0\.0\.1:9070`,
      ),
    );
    const badArray = await run([
      'submit',
      '--job-queue',
      'q',
      '--job-definition',
      'd',
      '--array-size',
      '1',
      '--region',
      'us-east-1',
      '--endpoint-url',
      target.service.server.url,
    ]);
    expect(badArray.code).toBe(2);
    expect(badArray.stderr).toMatch(/--array-size "1" is not valid: an integer from 2 to 10000/);
    const badAccount = await run([
      'plan',
      '--app',
      app,
      '--account',
      '1234',
      '--endpoint-url',
      target.service.server.url,
    ]);
    expect(badAccount.code).toBe(2);
    expect(badAccount.stderr).toMatch(
      new RegExp(
        String.raw`BATCHKIT-CLI-PROVISION-006: --account "1234" is not an AWS a` +
          String.raw`ccount id \(12 digits\)\. Fix: pass the 12-digit id`,
      ),
    );
  });

  test('the CLI process prints no AWS SDK Node.js support warning', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
    delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        path.join(REPO, 'bin', 'batchkit.ts'),
        'doctor',
        '--live',
        '--app',
        path.join(tmpdir(), 'no-such-app'),
        '--region',
        'us-east-1',
        '--endpoint-url',
        target.service.server.url,
      ],
      { cwd: REPO, env, timeout: 60_000 },
    );
    expect(stdout).toBe('No reason found for jobs to stay RUNNABLE.\n');
    expect(stderr).not.toMatch(/NodeVersionSupportWarning|will require node/);
  });
});
