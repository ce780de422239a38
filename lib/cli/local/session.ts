/**
 * Opening the local executor for a `batchkit local` command: the model (from `--app`), the Docker
 * runtime (with the app's docker image assets), the store, host caps, secrets and event sinks.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { loadBatchModel } from '../../core/assembly';
import { environmentOf } from '../../core/assembly/load';
import { BatchkitError } from '../../core/errors';
import { emptyBatchModel, type BatchModel, type DeploymentEnvironment } from '../../core/model/batch-model';
import type { Command } from 'commander';
import { withReadableNames } from '../../core/model/readable-names';
import { loaderOptionsFrom, notLoadedLines, type LoaderFlags } from '../loader-options';
import { HandlerSink } from '../../local/events/handler-sink';
import type { HostAccessOptions } from '../../local/host-access';
import { JsonlSink } from '../../local/events/jsonl-sink';
import type { EventSink } from '../../local/events/sink';
import { WebhookSink } from '../../local/events/webhook-sink';
import type { LocalExecutor } from '../../local/executor';
import type { DockerRuntime } from '../../local/runtime/docker-runtime';
import { parsePositive } from './args';
import { repeatable } from '../options';
import { DEFAULT_APP, DEFAULT_STORE } from '../defaults';
import { isEksSecretEntry, isKubernetesKey } from '../../local/secret-volumes';

/** Options every `batchkit local` command shares. */
export interface CommonOptions extends LoaderFlags {
  /** Cloud assembly or template. */
  app?: string;
  /** Stacks of the assembly. */
  stack?: string[];
  /** Store directory. */
  store?: string;
  /** JSON output. */
  json?: boolean;
}

/** Options that shape a run. */
export interface SessionOptions extends CommonOptions {
  timeScale?: string;
  maxVcpus?: string;
  maxMemory?: string;
  secrets?: string;
  /** `--on-event <module...>`: JavaScript modules exporting `handler(event, context)`. */
  onEvent?: string[];
  /** `--webhook <url...>`: http URLs on loopback. */
  webhook?: string[];
  /** `--events <file.jsonl>`: a JSON lines file. */
  events?: string;
  /** `--allow-host-path <path...>`: more host paths job containers may mount. */
  allowHostPath?: string[];
  /** `--allow-devices`: let job definitions pass host devices. */
  allowDevices?: boolean;
}

/** The host access options of `--allow-host-path` and `--allow-devices` (lib/local/host-access.ts). */
export function hostAccessOptions(opts: Pick<SessionOptions, 'allowHostPath' | 'allowDevices'>): HostAccessOptions {
  return { allowHostPaths: opts.allowHostPath ?? [], allowDevices: opts.allowDevices === true };
}

/** Adds `--allow-host-path` and `--allow-devices` to a command. */
export function addHostAccessOptions(command: Command): Command {
  return command
    .addOption(
      repeatable(
        '--allow-host-path <path>',
        'let job containers mount this host path too (repeatable; default: the ' +
          'current directory and the OS temporary directory only)',
      ),
    )
    .option('--allow-devices', 'let job definitions pass host devices (linuxParameters.devices) to their containers');
}

/** An open executor and what it was built from. */
export interface Session {
  readonly model: BatchModel;
  readonly runtime: DockerRuntime;
  readonly executor: LocalExecutor;
}

/** The model of `--app` (required when `required`; else `cdk.out` when it exists, else empty). */
export function loadModel(
  opts: CommonOptions,
  required: boolean,
  environment?: Partial<DeploymentEnvironment>,
): BatchModel {
  const app = opts.app ?? (required || existsSync(DEFAULT_APP) ? DEFAULT_APP : undefined);
  if (app === undefined) return emptyBatchModel(environment?.region ? environmentOf({}, { environment }) : undefined);
  if (!existsSync(app)) {
    throw new BatchkitError('BATCHKIT-CLI-LOCAL-007', 'input', `--app "${app}" does not exist.`, {
      fix: 'synthesize the app first (cdk synth) or pass --app <cdk.out directory or template file>.',
    });
  }
  const model = loadBatchModel(app, {
    stacks: opts.stack,
    ...loaderOptionsFrom(opts),
    ...(environment ? { environment } : {}),
  });
  for (const line of notLoadedLines(model)) process.stderr.write(`batchkit: note: ${line}\n`);
  // Names known only at deployment are served and shown as `spot-<parameter Namespace>`.
  return withReadableNames(model);
}

/**
 * Secrets from `--secrets file.json`: `{"<valueFrom>": "value"}`, or `{"<valueFrom>": {"env": "VAR"}}`
 * to read the value from this process's environment; a Kubernetes secret of EKS `secret` volumes as
 * `{"eks-secret/<secretName>": {"<key>": "value" | {"env": "VAR"}}}`. Values are never printed.
 */
export function loadSecrets(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (file === undefined) return {};
  const fail = (problem: string) =>
    new BatchkitError('BATCHKIT-CLI-LOCAL-008', 'input', `--secrets ${file}: ${problem}.`, {
      fix: 'write {"arn:aws:secretsmanager:...:secret:name": "value"} or {"<valueFrom>": {"env": "VARIABLE"}}',
    });
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw fail((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : 'not valid JSON');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw fail('expected an object');
  const valueOf = (key: string, value: unknown): string => {
    if (typeof value === 'string') return value;
    if (value && typeof value === 'object' && typeof (value as { env?: unknown }).env === 'string') {
      const variable = (value as { env: string }).env;
      const v = env[variable];
      if (v === undefined) throw fail(`"${key}" reads the environment variable ${variable}, which is not set`);
      return v;
    }
    throw fail(`"${key}" must be a string or {"env": "VARIABLE"}`);
  };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (!isEksSecretEntry(key)) {
      out[key] = valueOf(key, value);
      continue;
    }
    // A Kubernetes secret (EKS `secret` volumes): an object of keys, each a value or {"env": "VARIABLE"}.
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw fail(`"${key}" is a Kubernetes secret: expected an object of keys, {"<key>": "value"}`);
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (!isKubernetesKey(k))
        throw fail(`"${key}" key "${k}" is not a Kubernetes key name (letters, digits, "-", "_", ".")`);
      out[`${key}/${k}`] = valueOf(`${key}.${k}`, v);
    }
  }
  return out;
}

/**
 * The event sinks of `--events`, `--webhook` and `--on-event` (lib/local/events): the JSON lines file
 * first, then the webhooks, then the handler modules. Throws an input BatchkitError naming the flag
 * for a webhook off loopback or a handler module that does not load, before Docker is asked.
 */
export function eventSinks(
  opts: Pick<SessionOptions, 'events' | 'webhook' | 'onEvent'>,
  model: BatchModel,
): EventSink[] {
  const arn = { region: model.environment.region, account: model.environment.account };
  return [
    ...(opts.events ? [new JsonlSink(opts.events)] : []),
    ...(opts.webhook ?? []).map((url) => new WebhookSink(url)),
    ...(opts.onEvent ?? []).map((mod) => new HandlerSink(mod, arn)),
  ];
}

/**
 * Opens the executor on `model`. `passive` opens the store without working on it (see
 * `LocalExecutorOptions.passive`): what the store commands use, so they never start or re-attach
 * jobs another `batchkit local run` may own.
 */
export async function openSession(
  opts: SessionOptions,
  model: BatchModel,
  onProgress?: (line: string) => void,
  passive = false,
): Promise<Session> {
  const timeScale = parsePositive('--time-scale', opts.timeScale);
  const maxVcpus = parsePositive('--max-vcpus', opts.maxVcpus);
  const maxMemoryMiB = parsePositive('--max-memory', opts.maxMemory);
  const secrets = loadSecrets(opts.secrets);
  const sinks = eventSinks(opts, model);
  // The executor (better-sqlite3) and the runtime (dockerode) load here, in the commands that use them.
  const [{ LocalExecutor }, { DockerRuntime }] = await Promise.all([
    import('../../local/executor'),
    import('../../local/runtime/docker-runtime'),
  ]);
  const runtime = new DockerRuntime({ assets: model.dockerImageAssets, onProgress });
  // The engine's answer and its host facts in one round trip (either gives the engine-down error).
  const [, host] = await Promise.all([runtime.ping(), runtime.hostResources()]);
  const executor = await LocalExecutor.open({
    model,
    runtime,
    storeDir: path.resolve(opts.store ?? DEFAULT_STORE),
    timeScale,
    maxVcpus,
    maxMemoryMiB,
    maxGpus: host.gpus,
    secrets,
    eventSinks: sinks,
    passive,
    hostAccess: hostAccessOptions(opts),
    onWarning: (message) => onProgress?.(message),
    onSinkError: (sink, error) =>
      onProgress?.(`event sink ${sink.name} failed: ${(error as Error).message ?? String(error)}`),
  });
  return { model, runtime, executor };
}
