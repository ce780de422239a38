/**
 * `batchkit local serve`: the AWS Batch API (restJson1) on this machine, over the local executor
 * and Docker. The resources of `--app` are registered under the names and ARNs AWS would give
 * them, so an application pointed at the server (`AWS_ENDPOINT_URL_BATCH`, or the SDK's
 * `endpoint`) works unchanged. Binds 127.0.0.1 unless `--host` says otherwise; signatures are
 * accepted without checking credentials (local use only). Runs until SIGINT or SIGTERM, which
 * detach (see stop-signal.ts) and exit 0.
 */
import { existsSync, statSync } from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { readAssembly } from '../../core/assembly/cloud-assembly';
import { BatchkitError } from '../../core/errors';
import { EXIT } from '../exit';
import { parseInteger, parsePositive } from './args';
import { attachApp } from './app-session';
import {
  addHostAccessOptions,
  eventSinks,
  hostAccessOptions,
  loadModel,
  loadSecrets,
  type SessionOptions,
} from './session';
import { onStopSignal } from './stop-signal';
import { nestedOption, parameterOverridesOption } from '../loader-options';
import { repeatable, stackOption } from '../options';
import { DEFAULT_APP, DEFAULT_SERVE_HOST, DEFAULT_SERVE_PORT, DEFAULT_SERVE_REGION, DEFAULT_STORE } from '../defaults';

/** Flags of `batchkit local serve`. */
interface ServeOptions extends SessionOptions {
  region?: string;
  port?: string;
  host?: string;
  callbacks?: boolean;
  logRequests?: boolean;
  dashboard?: boolean;
  /** `--no-rules` sets it to false. */
  rules?: boolean;
}

/** Adds `serve` to the `local` command. */
export function registerServe(local: Command, setExit: (code: number) => void): void {
  const command = local
    .command('serve')
    .description('Serve the AWS Batch API on 127.0.0.1 over the local executor, for apps that use the AWS SDK or CLI')
    .option(
      '--app <path>',
      'cloud assembly directory or template file whose resources are ' +
        'pre-registered (default: cdk.out when present, else none)',
    )
    .addOption(stackOption())
    .option(
      '--region <name>',
      'region of environment-agnostic stacks and of unsigned requests; signed ' +
        'requests are served in the region they are signed for',
      DEFAULT_SERVE_REGION,
    )
    .addOption(parameterOverridesOption())
    .addOption(nestedOption())
    .option('--port <n>', 'port to listen on (0: any free port)', String(DEFAULT_SERVE_PORT))
    .option(
      '--host <address>',
      'address to bind; anything but loopback exposes an API without authentication',
      DEFAULT_SERVE_HOST,
    )
    .option('--store <dir>', 'job store directory (jobs survive restarts)', DEFAULT_STORE)
    .option('--time-scale <n>', 'run timeouts n times faster (local only)')
    .option('--max-vcpus <n>', 'cap on vCPUs of every compute environment')
    .option('--max-memory <MiB>', 'cap on memory of every compute environment')
    .option('--secrets <file.json>', 'secret values by valueFrom (never printed)')
    .option('--events <file.jsonl>', 'append every event (job state changes, queue blocked) to this file')
    .addOption(
      repeatable('--webhook <url>', 'POST every event (job state changes, queue blocked) to this http URL on loopback'),
    )
    .addOption(repeatable('--on-event <module>', 'JavaScript module whose handler(event, context) receives each event'))
    .option(
      '--no-callbacks',
      'do not give job containers AWS_ENDPOINT_URL_BATCH and dummy ' +
        'credentials (EC2 jobs use them to call the API back; Fargate jobs have no network)',
    )
    .option('--log-requests', 'print one line per API request on stderr')
    .option('--no-dashboard', 'do not serve the live dashboard at /')
    .option(
      '--no-rules',
      "do not run the app's EventBridge rules and their targets (on by " + 'default when the assembly has rules)',
    )
    .option('--json', 'print the endpoint as JSON on stdout');
  addHostAccessOptions(command).action(async (opts: ServeOptions, command: Command) => {
    setExit(await serve(opts, command.getOptionValueSource('host') === 'cli'));
  });
}

async function serve(opts: ServeOptions, hostGiven: boolean): Promise<number> {
  const region = opts.region ?? DEFAULT_SERVE_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) {
    throw new BatchkitError(
      'BATCHKIT-CLI-LOCAL-015',
      'input',
      `--region ${JSON.stringify(region)} is not an AWS region name.`,
      { fix: 'pass a region such as us-east-1 or eu-central-1.' },
    );
  }
  const model = loadModel(opts, opts.app !== undefined, { region });
  const port = parseInteger('--port', opts.port, 0, 65535);
  const sinks = eventSinks(opts, model);
  const log = (line: string) => process.stderr.write(`batchkit: ${line}\n`);
  // The API, the executor (better-sqlite3) and the runtime (dockerode) load here, not with the CLI.
  const [{ startLocalBatchService }, { DockerRuntime }] = await Promise.all([
    import('../../local/api/service'),
    import('../../local/runtime/docker-runtime'),
  ]);
  const runtime = new DockerRuntime({ assets: model.dockerImageAssets, onProgress: log });
  await runtime.ping();
  const host = await runtime.hostResources();
  const service = await startLocalBatchService({
    model,
    region,
    stackRegions: stackRegionsOf(opts.app ?? (existsSync(DEFAULT_APP) ? DEFAULT_APP : undefined)),
    runtime,
    storeDir: path.resolve(opts.store ?? DEFAULT_STORE),
    host: opts.host,
    port,
    allowNonLoopback: hostGiven,
    callbacks: opts.callbacks !== false,
    dashboard: opts.dashboard !== false,
    executor: {
      timeScale: parsePositive('--time-scale', opts.timeScale),
      maxVcpus: parsePositive('--max-vcpus', opts.maxVcpus),
      maxMemoryMiB: parsePositive('--max-memory', opts.maxMemory),
      maxGpus: host.gpus,
      secrets: loadSecrets(opts.secrets),
      eventSinks: sinks,
      hostAccess: hostAccessOptions(opts),
      onWarning: log,
      onSinkError: (sink, error) =>
        log(`event sink ${sink.name} failed: ${error instanceof Error ? error.message : String(error)}`),
    },
    onRequest: opts.logRequests
      ? (r) => log(`${r.operation ?? '-'} ${r.status} ${r.ms.toFixed(1)} ms${r.error ? ` ${r.error}` : ''}`)
      : undefined,
  });
  const { url } = service.server;
  const counts = {
    jobDefinitions: model.jobDefinitions.length,
    jobQueues: model.jobQueues.length,
    computeEnvironments: model.computeEnvironments.length,
    schedulingPolicies: model.schedulingPolicies.length,
  };
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({
        url,
        port: service.server.port,
        region: service.registry.env.region,
        regions: service.regions(),
        resources: counts,
        ...(opts.dashboard !== false ? { dashboard: `${url}/` } : {}),
      })}\n`,
    );
  } else {
    process.stdout.write(
      `AWS Batch API on ${url} (region ${service.registry.env.region}, account ${service.registry.env.account}): ` +
        `${counts.jobQueues} job queue(s), ${counts.jobDefinitions} job ` +
        `definition(s), ${counts.computeEnvironments} compute environment(s)\n` +
        `  every region is served: requests are answered in the region they are ` +
        `signed for (${service.regions().join(', ')} hold resources now)\n` +
        `  export AWS_ENDPOINT_URL_BATCH=${url} AWS_ENDPOINT_URL_LOGS=${url}\n` +
        (opts.dashboard !== false ? `  dashboard: ${url}/\n` : ''),
    );
  }
  if (service.server.host !== '127.0.0.1' && service.server.host !== '::1') {
    log(
      `warning: listening on ${service.server.host}; the API accepts any ` +
        `credentials, so anyone who can reach this port can run containers here.`,
    );
  }
  recoveryNote(service.executor.recovery, log);
  const app = attachApp(opts, service.executor, service.registry.env, log);
  const stop = onStopSignal();
  const signal = await stop.signal;
  app?.close();
  await app?.waitForIdle();
  log(
    `${signal}: stopping; running job containers keep running and the next ` +
      `start on this store re-attaches them and records their outcome`,
  );
  await service.close();
  return EXIT.ok;
}

/** The concrete region of each stack of a cloud assembly (none for a template file). */
function stackRegionsOf(app: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (app === undefined || !existsSync(app) || !statSync(app).isDirectory()) return out;
  for (const stack of readAssembly(path.resolve(app)).stacks) if (stack.region) out.set(stack.artifactId, stack.region);
  return out;
}

function recoveryNote(
  r: { reattached: unknown[]; finished: unknown[]; vanished: unknown[] },
  log: (line: string) => void,
): void {
  if (r.reattached.length + r.finished.length + r.vanished.length === 0) return;
  log(
    `recovered the job store: ${r.reattached.length} running container(s) ` +
      `re-attached, ${r.finished.length} finished while stopped, ${r.vanished.length} gone`,
  );
}
