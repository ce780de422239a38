/**
 * Set-up of the image asset tests: a cloud assembly whose job definition uses a docker image
 * asset (as the CDK's default synthesizer writes it), a local registry (Debian's docker-registry)
 * on 127.0.0.1, a fake docker executable that records its calls, and an in-memory ECR behind
 * aws-sdk-client-mock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  ImageNotFoundException,
  ListTagsForResourceCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
  type Tag,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { loadBatchModel } from '../../lib/core/assembly';
import type { BatchModel } from '../../lib/core/model/batch-model';

/** Account of the test apps' stack environment. */
export const ACCOUNT = '111122223333';
/** The CDK bootstrap's container-assets repository of the test apps' environment. */
export const BOOTSTRAP_REPO = `cdk-hnb659fds-container-assets-${ACCOUNT}-us-east-1`;

/** A random 64-hex asset hash (unique local tags per test run). */
export function randomHash(): string {
  return randomBytes(32).toString('hex');
}

/** One docker image asset of {@link writeAssetApp}. */
export interface AppAsset {
  /** Asset hash. */
  readonly hash: string;
  /** Build context directory. */
  readonly directory: string;
  /** Repository name (with `${AWS::AccountId}`/`${AWS::Region}` placeholders allowed). */
  readonly repositoryName?: string;
  /** Build arguments. */
  readonly buildArgs?: Record<string, string>;
  /** Build target. */
  readonly target?: string;
  /** Dockerfile name. */
  readonly dockerFile?: string;
}

/** A build context with a two-stage Dockerfile `FROM local/busybox:test` using build arg GREETING. */
export function writeContext(root: string, name = 'image'): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    'FROM local/busybox:test AS base\nARG GREETING=none\nRUN echo ' +
      '"$GREETING" > /greeting\n\nFROM base AS final\nCMD ["cat", "/greeting"]\n',
  );
  return dir;
}

/**
 * Writes a cloud assembly (manifest.json, template, asset manifest) for stack `AssetStack`: one
 * queue, one environment and one job definition per asset, whose image is the asset's URI
 * exactly as the default synthesizer writes it. Returns the assembly directory.
 */
export function writeAssetApp(
  root: string,
  assets: readonly AppAsset[],
  environment = `aws://${ACCOUNT}/us-east-1`,
): string {
  const out = path.join(root, 'cdk.out');
  mkdirSync(out, { recursive: true });
  const repoOf = (a: AppAsset) => a.repositoryName ?? 'cdk-hnb659fds-container-assets-${AWS::AccountId}-${AWS::Region}';
  const resources: Record<string, unknown> = {
    Compute: {
      Type: 'AWS::Batch::ComputeEnvironment',
      Properties: {
        Type: 'MANAGED',
        ComputeResources: {
          Type: 'FARGATE',
          MaxvCpus: 4,
          Subnets: ['subnet-0123456789abcdef0'],
          SecurityGroupIds: ['sg-0123456789abcdef0'],
        },
      },
    },
    Queue: {
      Type: 'AWS::Batch::JobQueue',
      Properties: { Priority: 1, ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: { Ref: 'Compute' } }] },
    },
  };
  assets.forEach((a, i) => {
    resources[`Job${i}`] = {
      Type: 'AWS::Batch::JobDefinition',
      Properties: {
        Type: 'container',
        PlatformCapabilities: ['FARGATE'],
        ContainerProperties: {
          Image: { 'Fn::Sub': `\${AWS::AccountId}.dkr.ecr.\${AWS::Region}.\${AWS::URLSuffix}/${repoOf(a)}:${a.hash}` },
          ResourceRequirements: [
            { Type: 'VCPU', Value: '0.25' },
            { Type: 'MEMORY', Value: '512' },
          ],
          ExecutionRoleArn: `arn:aws:iam::${ACCOUNT}:role/exec`,
        },
      },
    };
  });
  writeFileSync(path.join(out, 'AssetStack.template.json'), JSON.stringify({ Resources: resources }));
  const dockerImages: Record<string, unknown> = {};
  for (const a of assets) {
    dockerImages[a.hash] = {
      source: {
        directory: path.relative(out, a.directory),
        ...(a.dockerFile ? { dockerFile: a.dockerFile } : {}),
        ...(a.buildArgs ? { dockerBuildArgs: a.buildArgs } : {}),
        ...(a.target ? { dockerBuildTarget: a.target } : {}),
      },
      destinations: { 'current_account-current_region': { repositoryName: repoOf(a), imageTag: a.hash } },
    };
  }
  writeFileSync(
    path.join(out, 'AssetStack.assets.json'),
    JSON.stringify({ version: '36.0.0', files: {}, dockerImages }),
  );
  writeFileSync(
    path.join(out, 'manifest.json'),
    JSON.stringify({
      version: '36.0.0',
      artifacts: {
        'AssetStack.assets': { type: 'cdk:asset-manifest', properties: { file: 'AssetStack.assets.json' } },
        AssetStack: {
          type: 'aws:cloudformation:stack',
          environment,
          properties: { templateFile: 'AssetStack.template.json' },
        },
      },
    }),
  );
  return out;
}

/** Loads {@link writeAssetApp}'s assembly. */
export function loadAssetApp(root: string, assets: readonly AppAsset[], environment?: string): BatchModel {
  return loadBatchModel(writeAssetApp(root, assets, environment));
}

/** A docker stand-in that records each call (argv, and stdin for login) and exits 0, or fails one subcommand. */
export interface FakeDocker {
  /** The executable. */
  readonly command: string;
  /** Recorded calls: argv joined by spaces. */
  calls(): string[];
  /** What `login` read on stdin. */
  stdin(): string;
}

/** Writes a fake docker; `fail` names a subcommand that exits 1 with `stderrText` on stderr. */
export function fakeDocker(root: string, fail?: { subcommand: string; stderrText: string }): FakeDocker {
  const dir = mkdtempSync(path.join(root, 'fake-docker-'));
  const log = path.join(dir, 'calls.log');
  const input = path.join(dir, 'stdin.log');
  const command = path.join(dir, 'docker');
  writeFileSync(
    command,
    [
      '#!/bin/sh',
      `echo "$*" >> '${log}'`,
      `if [ "$1" = login ]; then cat >> '${input}'; fi`,
      fail
        ? `if [ "$1" = '${fail.subcommand}' ]; then echo 'step 1/2 ok'; printf ` +
          `'%s\\n' '${fail.stderrText.replace(/'/g, '')}' >&2; exit 1; fi`
        : '',
      'exit 0',
      '',
    ].join('\n'),
  );
  chmodSync(command, 0o755);
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  return { command, calls: () => read(log).split('\n').filter(Boolean), stdin: () => read(input) };
}

/** A wrapper around the real docker that records the subcommands it runs. */
export function recordingDocker(root: string): FakeDocker {
  const dir = mkdtempSync(path.join(root, 'rec-docker-'));
  const log = path.join(dir, 'calls.log');
  const command = path.join(dir, 'docker');
  writeFileSync(command, `#!/bin/sh\necho "$1" >> '${log}'\nexec docker "$@"\n`);
  chmodSync(command, 0o755);
  return {
    command,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
    stdin: () => '',
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running Debian docker-registry on 127.0.0.1. */
export interface LocalRegistry {
  /** `127.0.0.1:<port>`. */
  readonly host: string;
  /** Tags of a repository, from `GET /v2/<repo>/tags/list` (empty when the repository is unknown). */
  tags(repository: string): Promise<string[]>;
  /** Stops it and removes its storage. */
  stop(): Promise<void>;
}

/** Starts `docker-registry serve` with filesystem storage in a temp dir, on a free 127.0.0.1 port. */
export async function startRegistry(): Promise<LocalRegistry> {
  const binary = ['/usr/bin/docker-registry', '/usr/local/bin/docker-registry'].find((b) => existsSync(b));
  if (!binary)
    throw new Error(
      "Debian's docker-registry is not installed: run scripts/dev-setup.sh " + '(apt-get install -y docker-registry).',
    );
  const dir = mkdtempSync(path.join(tmpdir(), 'bk-registry-'));
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'storage')}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  let output = '';
  const child: ChildProcess = spawn(binary, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await fetch(`http://${host}/v2/`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`docker-registry did not answer on ${host}: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    tags: async (repository) => {
      const r = await fetch(`http://${host}/v2/${repository}/tags/list`);
      if (r.status === 404) return [];
      return ((await r.json()) as { tags?: string[] | null }).tags ?? [];
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An in-memory ECR for one account, behind aws-sdk-client-mock. */
export interface FakeEcr {
  /** The mock (for `calls()`). */
  readonly mock: ReturnType<typeof mockClient>;
  /** Repositories: name → tags. */
  readonly repositories: Map<string, Tag[]>;
  /** The calls so far as `Command input-json`. */
  calls(): string[];
  /** Restores the real client. */
  restore(): void;
}

/**
 * Mocks ECRClient with repositories in `registryHost` (repositoryUri `<registryHost>/<name>`). Tags
 * in a repository are asked from `tagsOf` (the real local registry) or, without it, from `pushed`.
 */
export function fakeEcr(
  registryHost: string,
  options: {
    tagsOf?: (repo: string) => Promise<string[]>;
    pushed?: Record<string, string[]>;
    token?: string;
    scheme?: 'http' | 'https';
  } = {},
): FakeEcr {
  const mock = mockClient(ECRClient);
  const repositories = new Map<string, Tag[]>();
  const arn = (name: string) => `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${name}`;
  const repo = (name: string) => ({
    repositoryName: name,
    repositoryArn: arn(name),
    repositoryUri: `${registryHost}/${name}`,
    registryId: ACCOUNT,
  });
  const notFound = (name: string) =>
    new RepositoryNotFoundException({
      message: `The repository with name '${name}' does not exist in the registry with id '${ACCOUNT}'`,
      $metadata: {},
    });
  mock.on(DescribeRepositoriesCommand).callsFake(async (input: { repositoryNames?: string[] }) => {
    const names = input.repositoryNames ?? [...repositories.keys()];
    const missing = names.find((n) => !repositories.has(n));
    if (missing) throw notFound(missing);
    return { repositories: names.map(repo) };
  });
  mock.on(CreateRepositoryCommand).callsFake(async (input: { repositoryName: string; tags?: Tag[] }) => {
    if (repositories.has(input.repositoryName))
      throw new RepositoryAlreadyExistsException({ message: 'exists', $metadata: {} });
    repositories.set(input.repositoryName, input.tags ?? []);
    return { repository: repo(input.repositoryName) };
  });
  mock
    .on(DescribeImagesCommand)
    .callsFake(async (input: { repositoryName: string; imageIds?: Array<{ imageTag?: string }> }) => {
      if (!repositories.has(input.repositoryName)) throw notFound(input.repositoryName);
      const tags = options.tagsOf
        ? await options.tagsOf(input.repositoryName)
        : (options.pushed?.[input.repositoryName] ?? []);
      const wanted = (input.imageIds ?? []).map((i) => i.imageTag ?? '');
      const missing = wanted.find((t) => !tags.includes(t));
      if (missing)
        throw new ImageNotFoundException({
          message: `The image with imageId {imageTag:'${missing}'} does not exist`,
          $metadata: {},
        });
      return { imageDetails: wanted.map((t) => ({ repositoryName: input.repositoryName, imageTags: [t] })) };
    });
  mock.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [
      {
        authorizationToken: Buffer.from(`AWS:${options.token ?? 'local-registry-token'}`).toString('base64'),
        proxyEndpoint: `${options.scheme ?? 'https'}://${registryHost}`,
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    ],
  });
  mock.on(ListTagsForResourceCommand).callsFake(async (input: { resourceArn: string }) => {
    const name = input.resourceArn.split(':repository/')[1];
    if (!repositories.has(name)) throw notFound(name);
    return { tags: repositories.get(name) };
  });
  mock.on(DeleteRepositoryCommand).callsFake(async (input: { repositoryName: string }) => {
    if (!repositories.has(input.repositoryName)) throw notFound(input.repositoryName);
    repositories.delete(input.repositoryName);
    return { repository: repo(input.repositoryName) };
  });
  return {
    mock,
    repositories,
    calls: () =>
      mock
        .calls()
        .map(
          (c) =>
            `${(c.args[0] as object).constructor.name.replace(/Command$/, '')} ` +
            `${JSON.stringify((c.args[0] as { input: unknown }).input)}`,
        ),
    restore: () => mock.restore(),
  };
}
