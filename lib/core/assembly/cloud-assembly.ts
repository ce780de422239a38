/**
 * Reading a cloud assembly directory: `manifest.json` (stack artifacts, nested assemblies of
 * stages, asset manifests) and the `*.assets.json` files (file assets such as nested stack
 * templates, and docker image assets).
 * @see https://github.com/aws/aws-cdk-cli/tree/main/packages/@aws-cdk/cloud-assembly-schema
 */
import { existsSync, readdirSync, realpathSync } from 'fs';
import * as path from 'path';
import { ASSEMBLY_ERRORS, assemblyError } from './errors';
import { insideAssembly } from './files';
import { LOADER_LIMITS, limitError } from './limits';
import { isJsonObject, objectProp, stringProp, type JsonObject } from './json';
import { readJsonFile } from './parse';

/** A stack artifact of the assembly. */
export interface AssemblyStack {
  /** Artifact id (`MyStack`, or `StageMyStack1234` inside a stage). */
  readonly artifactId: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  /** Display name (`Stage/MyStack`). */
  readonly displayName: string;
  /** Absolute path of the template. */
  readonly templateFile: string;
  /** Account when the manifest gives a concrete one. */
  readonly account?: string;
  /** Region when the manifest gives a concrete one. */
  readonly region?: string;
}

/** A docker image asset of an asset manifest. */
export interface DockerImageEntry {
  /** Asset hash (the manifest key). */
  readonly hash: string;
  /** Absolute build context directory. */
  readonly directory: string;
  /** Dockerfile, relative to the directory. */
  readonly dockerFile?: string;
  /** Build arguments. */
  readonly buildArgs?: Record<string, string>;
  /** Build target. */
  readonly target?: string;
  /** Platform. */
  readonly platform?: string;
  /** Where it is published: repository (may hold `${AWS::AccountId}`-style placeholders) and tag. */
  readonly destinations: ReadonlyArray<{ readonly repositoryName: string; readonly imageTag: string }>;
}

/** Everything the loader needs from an assembly directory. */
export interface AssemblyIndex {
  /** Absolute directory. */
  readonly dir: string;
  /** Stack artifacts, including those of nested assemblies (stages). */
  readonly stacks: AssemblyStack[];
  /** File assets: hash → absolute path (nested stack templates among them). */
  readonly files: Map<string, string>;
  /** Docker image assets. */
  readonly dockerImages: DockerImageEntry[];
}

/** `aws://111122223333/eu-west-1` → its concrete parts (`unknown-account` and `unknown-region` are dropped). */
export function parseEnvironment(env: string | undefined): { account?: string; region?: string } {
  const m = /^aws:\/\/([^/]*)\/(.*)$/.exec(env ?? '');
  if (!m) return {};
  const account = m[1] && m[1] !== 'unknown-account' && !m[1].includes('${') ? m[1] : undefined;
  const region = m[2] && m[2] !== 'unknown-region' && !m[2].includes('${') ? m[2] : undefined;
  return { ...(account ? { account } : {}), ...(region ? { region } : {}) };
}

/**
 * Reads `<dir>/manifest.json`, the asset manifests and nested assemblies. Throws BATCHKIT-ASSEMBLY-002
 * without a manifest, -006 for nested assemblies that contain each other, -009 beyond
 * {@link LOADER_LIMITS.maxAssemblyDepth} levels, -010 for a template or nested assembly outside `dir`.
 */
export function readAssembly(dir: string): AssemblyIndex {
  const index: AssemblyIndex = { dir, stacks: [], files: new Map(), dockerImages: [] };
  readInto(dir, index, new Set(), []);
  return index;
}

function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

/** Checks a nested assembly before it is read: no cycle, not too deep, inside the root assembly. */
function checkNestedAssembly(
  sub: string,
  manifestFile: string,
  id: string,
  root: string,
  chain: readonly string[],
): void {
  const real = realDir(sub);
  const at = chain.indexOf(real);
  if (at >= 0) {
    throw assemblyError(
      ASSEMBLY_ERRORS.cycle,
      `${manifestFile}: nested cloud assembly ${id} (directory ${sub}) ` +
        `contains itself: ${[...chain.slice(at), real].join(' → ')}.`,
      "Synthesize the app again (`cdk synth`); a nested assembly's " +
        'directoryName names a subdirectory of cdk.out such as "assembly-MyStage".',
    );
  }
  if (chain.length >= LOADER_LIMITS.maxAssemblyDepth) {
    throw limitError(
      `${manifestFile}: nested cloud assembly ${id} is nested more than ` +
        `${LOADER_LIMITS.maxAssemblyDepth} levels deep; the loader's limit is ${LOADER_LIMITS.maxAssemblyDepth}.`,
      'Nest fewer CDK stages, or load the inner assembly directory directly.',
    );
  }
  insideAssembly(sub, root, `${manifestFile}, artifact ${id} (directoryName)`);
}

function readInto(dir: string, index: AssemblyIndex, assetFilesRead: Set<string>, chain: readonly string[]): void {
  const here = [...chain, realDir(dir)];
  const manifestFile = path.join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw assemblyError(
      ASSEMBLY_ERRORS.noManifest,
      `${dir} is a directory without manifest.json, so it is not a cloud assembly.`,
      'Pass the cdk.out directory written by `cdk synth` (it holds manifest.json), or a template file (JSON or YAML).',
    );
  }
  const manifest = readJsonFile(manifestFile, 'cloud assembly manifest');
  const artifacts = objectProp(manifest, 'artifacts') ?? {};
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (!isJsonObject(artifact)) continue;
    const props = objectProp(artifact, 'properties') ?? {};
    switch (artifact.type) {
      case 'aws:cloudformation:stack': {
        const templateFile = stringProp(props, 'templateFile');
        if (!templateFile) break;
        index.stacks.push({
          artifactId: id,
          stackName: stringProp(props, 'stackName') ?? id,
          displayName: stringProp(artifact, 'displayName') ?? id,
          templateFile: insideAssembly(
            path.resolve(dir, templateFile),
            index.dir,
            `${manifestFile}, artifact ${id} (templateFile)`,
          ),
          ...parseEnvironment(stringProp(artifact, 'environment')),
        });
        break;
      }
      case 'cdk:asset-manifest': {
        const file = stringProp(props, 'file');
        if (file) readAssetManifest(path.resolve(dir, file), index, assetFilesRead);
        break;
      }
      case 'cdk:cloud-assembly': {
        const sub = stringProp(props, 'directoryName');
        if (!sub) break;
        const subDir = path.resolve(dir, sub);
        checkNestedAssembly(subDir, manifestFile, id, index.dir, here);
        readInto(subDir, index, assetFilesRead, here);
        break;
      }
      default:
        break;
    }
  }
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.assets.json')) readAssetManifest(path.join(dir, f), index, assetFilesRead);
  }
}

/** Reads one asset manifest into the index (once per file). */
export function readAssetManifest(
  file: string,
  index: Pick<AssemblyIndex, 'files' | 'dockerImages'>,
  read: Set<string>,
): void {
  if (read.has(file) || !existsSync(file)) return;
  read.add(file);
  const dir = path.dirname(file);
  const manifest = readJsonFile(file, 'asset manifest');
  for (const [hash, entry] of Object.entries(objectProp(manifest, 'files') ?? {})) {
    const p = stringProp(objectProp(entry, 'source'), 'path');
    if (p) index.files.set(hash, path.resolve(dir, p));
  }
  for (const [hash, entry] of Object.entries(objectProp(manifest, 'dockerImages') ?? {})) {
    const source = objectProp(entry, 'source') ?? {};
    const directory = stringProp(source, 'directory');
    if (!directory) continue;
    const destinations = Object.values(objectProp(entry, 'destinations') ?? {})
      .filter(isJsonObject)
      .map((d: JsonObject) => ({
        repositoryName: stringProp(d, 'repositoryName') ?? '',
        imageTag: stringProp(d, 'imageTag') ?? hash,
      }));
    const buildArgs = objectProp(source, 'dockerBuildArgs');
    const dockerFile = stringProp(source, 'dockerFile');
    const target = stringProp(source, 'dockerBuildTarget');
    const platform = stringProp(source, 'platform');
    index.dockerImages.push({
      hash,
      directory: path.resolve(dir, directory),
      ...(dockerFile ? { dockerFile } : {}),
      ...(buildArgs
        ? { buildArgs: Object.fromEntries(Object.entries(buildArgs).map(([k, v]) => [k, String(v)])) }
        : {}),
      ...(target ? { target } : {}),
      ...(platform ? { platform } : {}),
      destinations,
    });
  }
}
