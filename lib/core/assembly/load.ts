/**
 * `loadBatchModel`: a cloud assembly directory or a single template → {@link BatchModel}.
 */
import { existsSync, statSync } from 'fs';
import * as path from 'path';
import { DEFAULT_DEPLOYMENT_ENVIRONMENT, emptyBatchModel, type BatchModel, type DeploymentEnvironment } from '../model/batch-model';
import { computeEnvironmentFrom, jobDefinitionFrom, jobQueueFrom, schedulingPolicyFrom } from './batch-resources';
import { readAssembly, readAssetManifest, type AssemblyIndex, type AssemblyStack, type DockerImageEntry } from './cloud-assembly';
import { assetForImage, imagesOf } from './docker-assets';
import { ASSEMBLY_ERRORS, assemblyError, listNames } from './errors';
import { isJsonObject, stringProp, type Json } from './json';
import { NoteSink } from './notes';
import { readTemplateFile } from './parse';
import { nestedStackName } from './physical-ids';
import { StackContext } from './stack-context';
import { instanceProfileFrom, launchTemplateFrom, roleFrom } from './support-resources';

/** Options of {@link loadBatchModel}. */
export interface LoadOptions {
  /**
   * Only these stacks (artifact ids, stack names or display names such as `Stage/Stack`).
   * Ignored when loading a single template file.
   * @default - every stack
   */
  readonly stacks?: readonly string[];
  /**
   * Account/region/partition for environment-agnostic stacks (a stack whose manifest environment is
   * concrete keeps its own account and region).
   * @default - DEFAULT_DEPLOYMENT_ENVIRONMENT
   */
  readonly environment?: Partial<DeploymentEnvironment>;
  /**
   * Values for template parameters of the top-level stacks (nested stacks get theirs from the parent).
   * @default - parameter defaults; a parameter without default becomes an unresolved value and a note
   */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** Where the files of the load come from, for nested stacks and docker assets. */
interface Sources {
  readonly dir: string;
  readonly files: Map<string, string>;
  readonly dockerImages: DockerImageEntry[];
}

/**
 * Loads a cloud assembly directory (`cdk.out`, or its `manifest.json`) or a single CloudFormation
 * template (JSON or YAML) into a {@link BatchModel}. Intrinsic functions are resolved; values
 * known only at deployment become unresolved values (see `isUnresolved`) with a note in `model.notes`.
 * Generated names and ids are deterministic: see `physical-ids.ts`. Each stack uses its manifest
 * environment when concrete, else `options.environment`, else {@link DEFAULT_DEPLOYMENT_ENVIRONMENT}
 * (partition `aws-cn`/`aws-us-gov` inferred from `cn-`/`us-gov-` regions); `model.environment` is
 * the first loaded stack's.
 * @throws BatchkitError `BATCHKIT-ASSEMBLY-001`…`007` (kind `input`), see `errors.ts`
 */
export function loadBatchModel(p: string, options: LoadOptions = {}): BatchModel {
  const abs = path.resolve(p);
  if (!existsSync(abs)) {
    throw assemblyError(
      ASSEMBLY_ERRORS.pathMissing,
      `${abs} does not exist.`,
      'Pass the cdk.out directory written by `cdk synth` or a CloudFormation template file; run `cdk synth` first if cdk.out is missing.',
    );
  }
  if (statSync(abs).isDirectory()) return loadAssembly(readAssembly(abs), options);
  if (path.basename(abs) === 'manifest.json') return loadAssembly(readAssembly(path.dirname(abs)), options);
  return loadTemplate(abs, options);
}

/** The environment of one stack: its manifest's account and region when concrete, else `options.environment`, else the default. */
export function environmentOf(stack: { account?: string; region?: string }, options: Pick<LoadOptions, 'environment'>): DeploymentEnvironment {
  const base: DeploymentEnvironment = { ...DEFAULT_DEPLOYMENT_ENVIRONMENT, ...options.environment };
  const region = stack.region ?? base.region;
  const partitionGiven = options.environment?.partition !== undefined;
  const inferred = region.startsWith('cn-')
    ? { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' }
    : region.startsWith('us-gov-')
      ? { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' }
      : {};
  return { ...base, ...(partitionGiven ? {} : inferred), account: stack.account ?? base.account, region };
}

function loadAssembly(index: AssemblyIndex, options: LoadOptions): BatchModel {
  let stacks = index.stacks;
  if (options.stacks && options.stacks.length > 0) {
    const wanted = options.stacks;
    const missing = wanted.filter((w) => !stacks.some((s) => matchesStack(s, w)));
    if (missing.length > 0) {
      throw assemblyError(
        ASSEMBLY_ERRORS.unknownStack,
        `The cloud assembly ${index.dir} has no stack ${missing.map((m) => `"${m}"`).join(', ')}. Its stacks: ${listNames(stacks.map((s) => s.displayName === s.artifactId ? s.artifactId : `${s.artifactId} (${s.displayName})`), 50)}.`,
        'Name a stack by its artifact id, stack name or display name, or leave out the stack filter.',
      );
    }
    stacks = stacks.filter((s) => wanted.some((w) => matchesStack(s, w)));
  }
  const model = emptyBatchModel(stacks.length > 0 ? environmentOf(stacks[0], options) : environmentOf({}, options));
  const sink = new NoteSink();
  for (const stack of stacks) {
    loadStack(stack, environmentOf(stack, options), options, index, sink, model);
  }
  model.notes.push(...sink.notes);
  return model;
}

/** True when `name` is the stack's artifact id, stack name or display name. */
export function matchesStack(s: AssemblyStack, name: string): boolean {
  return s.artifactId === name || s.stackName === name || s.displayName === name;
}

function loadTemplate(file: string, options: LoadOptions): BatchModel {
  const dir = path.dirname(file);
  let index: AssemblyIndex | undefined;
  if (existsSync(path.join(dir, 'manifest.json'))) {
    index = readAssembly(dir);
  }
  const known = index?.stacks.find((s) => s.templateFile === file);
  const base = path.basename(file).replace(/(\.template)?\.(json|ya?ml|template)$/i, '');
  const stack: AssemblyStack = known ?? { artifactId: base, stackName: base, displayName: base, templateFile: file };
  const sources: Sources = index ?? { dir, files: new Map(), dockerImages: [] };
  if (!index) readAssetManifest(path.join(dir, `${base}.assets.json`), sources, new Set());
  const env = environmentOf(stack, options);
  const model = emptyBatchModel(env);
  const sink = new NoteSink();
  loadStack(stack, env, options, sources, sink, model);
  model.notes.push(...sink.notes);
  return model;
}

function loadStack(
  stack: AssemblyStack,
  env: DeploymentEnvironment,
  options: LoadOptions,
  sources: Sources,
  sink: NoteSink,
  model: BatchModel,
): void {
  const ctx = new StackContext(
    {
      sourceStack: stack.artifactId,
      stackName: stack.stackName,
      file: stack.templateFile,
      template: readTemplateFile(stack.templateFile),
      env,
      parameterValues: { ...(options.parameters ?? {}) },
      openNested: (parent, logicalId) => openNested(parent, logicalId, sources, sink),
    },
    sink,
  );
  addResources(ctx, sources, model);
}

function addResources(ctx: StackContext, sources: Sources, model: BatchModel): void {
  for (const [logicalId, resource] of Object.entries(ctx.resources)) {
    if (!ctx.included(logicalId)) continue;
    switch (resource.Type) {
      case 'AWS::Batch::JobDefinition': {
        const jd = jobDefinitionFrom(ctx, logicalId);
        model.jobDefinitions.push(jd);
        for (const image of imagesOf(jd)) {
          if (model.dockerImageAssets.some((a) => a.imageUri === image)) continue;
          const asset = assetForImage(image, ctx.env, sources.dockerImages);
          if (asset) model.dockerImageAssets.push(asset);
        }
        break;
      }
      case 'AWS::Batch::JobQueue':
        model.jobQueues.push(jobQueueFrom(ctx, logicalId));
        break;
      case 'AWS::Batch::ComputeEnvironment':
        model.computeEnvironments.push(computeEnvironmentFrom(ctx, logicalId));
        break;
      case 'AWS::Batch::SchedulingPolicy':
        model.schedulingPolicies.push(schedulingPolicyFrom(ctx, logicalId));
        break;
      case 'AWS::EC2::LaunchTemplate':
        model.launchTemplates.push(launchTemplateFrom(ctx, logicalId));
        break;
      case 'AWS::IAM::Role':
        model.roles.push(roleFrom(ctx, logicalId));
        break;
      case 'AWS::IAM::InstanceProfile':
        model.instanceProfiles.push(instanceProfileFrom(ctx, logicalId));
        break;
      case 'AWS::CloudFormation::Stack': {
        const nested = ctx.nested(logicalId);
        if (nested) addResources(nested, sources, model);
        break;
      }
      default:
        break;
    }
  }
}

/** The template of a nested stack: `aws:asset:path` metadata, the asset hash in `TemplateURL`, or a local path. */
function nestedTemplateFile(parent: StackContext, logicalId: string, sources: Sources): string | undefined {
  const resource = parent.resources[logicalId];
  const assetPath = stringProp(isJsonObject(resource.Metadata) ? resource.Metadata : undefined, 'aws:asset:path');
  if (assetPath) {
    const f = path.resolve(sources.dir, assetPath);
    if (existsSync(f)) return f;
  }
  const url = parent.prop(logicalId, 'TemplateURL');
  if (typeof url !== 'string') return undefined;
  for (const hash of url.match(/[0-9a-f]{64}/g) ?? []) {
    const f = sources.files.get(hash) ?? path.join(sources.dir, `${hash}.nested.template.json`);
    if (existsSync(f)) return f;
  }
  if (!/^[a-z]+:\/\//i.test(url)) {
    const local = path.resolve(path.dirname(parent.file), url);
    if (existsSync(local) && statSync(local).isFile()) return local;
  }
  return undefined;
}

function openNested(parent: StackContext, logicalId: string, sources: Sources, sink: NoteSink): StackContext | undefined {
  const file = nestedTemplateFile(parent, logicalId, sources);
  if (!file) {
    parent.note(logicalId, `the template of nested stack ${logicalId} is not in the cloud assembly; its resources are not loaded`, 'Properties.TemplateURL');
    return undefined;
  }
  const params = parent.prop(logicalId, 'Parameters');
  const parameterValues: Record<string, Json> = isJsonObject(params) ? { ...params } : {};
  return new StackContext(
    {
      sourceStack: `${parent.sourceStack}/${logicalId}`,
      stackName: nestedStackName(parent.stackName, logicalId),
      file,
      template: readTemplateFile(file),
      env: parent.env,
      parameterValues,
      openNested: (p, id) => openNested(p, id, sources, sink),
    },
    sink,
  );
}
