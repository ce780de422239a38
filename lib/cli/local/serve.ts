/**
 * `batchkit local serve`: the AWS Batch API (restJson1) on this machine, over the local executor
 * and Docker. The resources of `--app` are registered under the names and ARNs AWS would give
 * them, so an application pointed at the server (`AWS_ENDPOINT_URL_BATCH`, or the SDK's
 * `endpoint`) works unchanged. Binds 127.0.0.1 unless `--host` says otherwise; signatures are
 * accepted without checking credentials (local use only). Runs until SIGINT or SIGTERM.
 */
import * as path from 'path';
import type { Command } from 'commander';
import { startLocalBatchService } from '../../local/api/service';
import { DockerRuntime } from '../../local/runtime/docker-runtime';
import { EXIT } from '../exit';
import { parseInteger, parsePositive } from './args';
import { eventSinks, loadModel, loadSecrets, type SessionOptions } from './session';
import { nestedOption, parameterOverridesOption } from '../loader-options';

/** Flags of `batchkit local serve`. */
interface ServeOptions extends SessionOptions {
  port?: string;
  host?: string;
  callbacks?: boolean;
  logRequests?: boolean;
  dashboard?: boolean;
}

/** Adds `serve` to the `local` command. */
export function registerServe(local: Command, setExit: (code: number) => void): void {
  local
    .command('serve')
    .description('Serve the AWS Batch API on 127.0.0.1 over the local executor, for apps that use the AWS SDK or CLI')
    .option('--app <path>', 'cloud assembly directory or template file whose resources are pre-registered (default: cdk.out when present, else none)')
    .option('--stack <name...>', 'only these stacks of the assembly')
    .addOption(parameterOverridesOption())
    .addOption(nestedOption())
    .option('--port <n>', 'port to listen on (0: any free port)', '9070')
    .option('--host <address>', 'address to bind; anything but loopback exposes an API without authentication', '127.0.0.1')
    .option('--store <dir>', 'job store directory (jobs survive restarts)', '.batchkit')
    .option('--time-scale <n>', 'run timeouts n times faster (local only)')
    .option('--max-vcpus <n>', 'cap on vCPUs of every compute environment')
    .option('--max-memory <MiB>', 'cap on memory of every compute environment')
    .option('--secrets <file.json>', 'secret values by valueFrom (never printed)')
    .option('--events <file.jsonl>', 'append every event (job state changes, queue blocked) to this file')
    .option('--webhook <url...>', 'POST every job state change event to these URLs')
    .option('--on-event <module...>', 'JavaScript module whose handler(event, context) receives each event')
    .option('--no-callbacks', 'do not give job containers host networking and AWS_ENDPOINT_URL_BATCH')
    .option('--log-requests', 'print one line per API request on stderr')
    .option('--no-dashboard', 'do not serve the live dashboard at /')
    .option('--json', 'print the endpoint as JSON on stdout')
    .action(async (opts: ServeOptions, command: Command) => {
      setExit(await serve(opts, command.getOptionValueSource('host') === 'cli'));
    });
}

async function serve(opts: ServeOptions, hostGiven: boolean): Promise<number> {
  const model = loadModel(opts, opts.app !== undefined);
  const port = parseInteger('--port', opts.port, 0, 65535);
  const sinks = eventSinks(opts, model);
  const log = (line: string) => process.stderr.write(`batchkit: ${line}\n`);
  const runtime = new DockerRuntime({ assets: model.dockerImageAssets, onProgress: log });
  await runtime.ping();
  const host = await runtime.hostResources();
  const service = await startLocalBatchService({
    model,
    runtime,
    storeDir: path.resolve(opts.store ?? '.batchkit'),
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
      onSinkError: (sink, error) => log(`event sink ${sink.name} failed: ${error instanceof Error ? error.message : String(error)}`),
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
    process.stdout.write(`${JSON.stringify({ url, port: service.server.port, region: service.registry.env.region, resources: counts, ...(opts.dashboard !== false ? { dashboard: `${url}/` } : {}) })}\n`);
  } else {
    process.stdout.write(
      `AWS Batch API on ${url} (region ${service.registry.env.region}, account ${service.registry.env.account}): ` +
        `${counts.jobQueues} job queue(s), ${counts.jobDefinitions} job definition(s), ${counts.computeEnvironments} compute environment(s)\n` +
        `  export AWS_ENDPOINT_URL_BATCH=${url}\n` +
        (opts.dashboard !== false ? `  dashboard: ${url}/\n` : ''),
    );
  }
  if (service.server.host !== '127.0.0.1' && service.server.host !== '::1') {
    log(`warning: listening on ${service.server.host}; the API accepts any credentials, so anyone who can reach this port can run containers here.`);
  }
  recoveryNote(service.executor.recovery, log);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('stopping (running containers keep running and are re-attached by the next start)');
  await service.close();
  return EXIT.ok;
}

function recoveryNote(r: { reattached: unknown[]; finished: unknown[]; vanished: unknown[] }, log: (line: string) => void): void {
  if (r.reattached.length + r.finished.length + r.vanished.length === 0) return;
  log(
    `recovered the job store: ${r.reattached.length} running container(s) re-attached, ${r.finished.length} finished while stopped, ${r.vanished.length} gone`,
  );
}
