/**
 * What `batchkit local run` submits: one job from flags, or several from `--file jobs.json` with
 * dependencies by name. Turned into SubmitJob requests in dependency order.
 */
import { describeJsonError } from '../../core/assembly/parse';
import { BatchkitError } from '../../core/errors';
import type { BatchModel } from '../../core/model/batch-model';
import type { SubmitJobRequest } from '../../core/model/job';
import { buildSubmitJobRequest, type JobSpec, type SpecDependency } from '../submit-options';
import { parseDependency } from './args';
import { definitionRef, findJobDefinition, findQueue } from './lookup';

/** One job to submit (see {@link JobSpec}). */
export type LocalJobSpec = JobSpec;
export type { SpecDependency } from '../submit-options';

const CODE = 'BATCHKIT-CLI-LOCAL-004';

function fileError(file: string, where: string, problem: string, fix: string): BatchkitError {
  return new BatchkitError(CODE, 'input', `${file}: ${where}: ${problem}.`, { fix });
}

/** Reads the jobs of a `--file`: `{"jobs": [...]}` or a bare array. */
export function parseJobsFile(file: string, text: string): LocalJobSpec[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // Never the JSON.parse message itself: it quotes the file's content.
    throw fileError(
      file,
      'JSON',
      `not valid JSON ${describeJsonError(text, (e as Error).message)}`,
      'write the file as JSON: {"jobs": [{"name": ..., "queue": ..., "jobDefinition": ...}]}',
    );
  }
  const list = Array.isArray(doc) ? doc : (doc as { jobs?: unknown } | null)?.jobs;
  if (!Array.isArray(list) || list.length === 0) {
    throw fileError(
      file,
      'jobs',
      'expected a non-empty array of jobs',
      'write {"jobs": [{"name": "JobA", "queue": "q", "jobDefinition": "d"}]}',
    );
  }
  const specs = list.map((raw, i) => readJob(file, `jobs[${i}]`, raw));
  const seen = new Set<string>();
  for (const [i, s] of specs.entries()) {
    if (seen.has(s.name))
      throw fileError(
        file,
        `jobs[${i}].name`,
        `the name "${s.name}" is used twice`,
        'give each job of the file its own name',
      );
    seen.add(s.name);
  }
  return specs;
}

function readJob(file: string, where: string, raw: unknown): LocalJobSpec {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw fileError(
      file,
      where,
      'expected an object',
      'write each job as {"name": ..., "queue": ..., "jobDefinition": ...}',
    );
  }
  const o = raw as Record<string, unknown>;
  const allowed = [
    'name',
    'jobName',
    'queue',
    'jobQueue',
    'jobDefinition',
    'arraySize',
    'dependsOn',
    'parameters',
    'command',
    'environment',
    'vcpus',
    'memory',
    'gpus',
    'retryAttempts',
    'timeout',
  ];
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key))
      throw fileError(file, `${where}.${key}`, 'unknown field', `use only ${allowed.join(', ')}`);
  }
  const str = (key: string, required: boolean): string | undefined => {
    const v = o[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v === '')
      throw fileError(file, `${where}.${key}`, 'expected a non-empty string', `set "${key}": "..."`);
    return v;
  };
  /** The value of `key` or of its SubmitJob name `awsKey` (one of them required; both must agree). */
  const aliased = (key: string, awsKey: string): string => {
    const mine = str(key, false);
    const aws = str(awsKey, false);
    if (mine !== undefined && aws !== undefined && mine !== aws) {
      throw fileError(
        file,
        where,
        `"${key}" ("${mine}") and "${awsKey}" ("${aws}") name the same thing and differ`,
        `keep one of "${key}" and "${awsKey}"`,
      );
    }
    const v = mine ?? aws;
    if (v === undefined)
      throw fileError(
        file,
        `${where}.${key}`,
        'expected a non-empty string',
        `set "${key}": "..." (or its SubmitJob name "${awsKey}")`,
      );
    return v;
  };
  const num = (key: string): number | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      throw fileError(
        file,
        `${where}.${key}`,
        `expected a number greater than 0, got ${JSON.stringify(v)}`,
        `set "${key}": 1`,
      );
    return v;
  };
  const map = (key: string): Record<string, string> | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (!v || typeof v !== 'object' || Array.isArray(v) || !Object.values(v).every((x) => typeof x === 'string')) {
      throw fileError(file, `${where}.${key}`, 'expected an object of strings', `set "${key}": {"NAME": "value"}`);
    }
    return { ...(v as Record<string, string>) };
  };
  let command: string[] | undefined;
  if (o.command !== undefined) {
    if (!Array.isArray(o.command) || !o.command.every((c) => typeof c === 'string')) {
      throw fileError(
        file,
        `${where}.command`,
        'expected an array of strings',
        'set "command": ["sh", "-c", "echo hi"]',
      );
    }
    command = o.command as string[];
  }
  let dependsOn: SpecDependency[] | undefined;
  if (o.dependsOn !== undefined) {
    if (!Array.isArray(o.dependsOn))
      throw fileError(
        file,
        `${where}.dependsOn`,
        'expected an array',
        'set "dependsOn": ["JobA"] or [{"name": "JobA", "type": "N_TO_N"}]',
      );
    dependsOn = o.dependsOn.map((d, j) => readDependency(file, `${where}.dependsOn[${j}]`, d));
  }
  return {
    name: aliased('name', 'jobName'),
    queue: aliased('queue', 'jobQueue'),
    jobDefinition: str('jobDefinition', true) as string,
    arraySize: num('arraySize'),
    dependsOn,
    parameters: map('parameters'),
    command,
    environment: map('environment'),
    vcpus: num('vcpus'),
    memory: num('memory'),
    gpus: num('gpus'),
    retryAttempts: num('retryAttempts'),
    timeout: num('timeout'),
  };
}

function readDependency(file: string, where: string, d: unknown): SpecDependency {
  try {
    if (typeof d === 'string') {
      const dep = parseDependency(where, d);
      return { ref: dep.jobId ?? d, type: dep.type };
    }
    if (d && typeof d === 'object') {
      const o = d as { name?: unknown; jobId?: unknown; type?: unknown };
      const ref = typeof o.name === 'string' ? o.name : typeof o.jobId === 'string' ? o.jobId : undefined;
      if (ref !== undefined) {
        const dep = parseDependency(where, o.type === undefined ? ref : `${ref}:${String(o.type)}`);
        return { ref, type: dep.type };
      }
    }
  } catch (e) {
    throw fileError(
      file,
      where,
      (e as Error).message.replace(/ Fix: .*$/, '').replace(/\.$/, ''),
      'use "JobA", "JobA:N_TO_N", "JobA:SEQUENTIAL" or {"name": "JobA", "type": "N_TO_N"}',
    );
  }
  throw fileError(
    file,
    where,
    'expected a job name or id',
    'use "JobA", "JobA:N_TO_N" or {"name": "JobA", "type": "N_TO_N"}',
  );
}

/**
 * The specs in an order where every job comes after the jobs of the same file it depends on.
 * Throws on a dependency cycle.
 */
export function dependencyOrder(specs: readonly LocalJobSpec[], file = '--file'): LocalJobSpec[] {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: LocalJobSpec[] = [];
  const visit = (s: LocalJobSpec, path: string[]) => {
    const st = state.get(s.name);
    if (st === 'done') return;
    if (st === 'visiting') {
      throw fileError(
        file,
        'dependsOn',
        `dependency cycle ${[...path, s.name].join(' -> ')}`,
        'remove one of the dependencies of the cycle',
      );
    }
    state.set(s.name, 'visiting');
    for (const d of s.dependsOn ?? []) {
      const target = byName.get(d.ref);
      if (target) visit(target, [...path, s.name]);
    }
    state.set(s.name, 'done');
    out.push(s);
  };
  for (const s of specs) visit(s, []);
  return out;
}

/** The SubmitJob request of a spec; `ids` maps names of already submitted jobs of the same file to their ids. */
export function toSubmitRequest(
  model: BatchModel,
  spec: LocalJobSpec,
  ids: ReadonlyMap<string, string>,
): SubmitJobRequest {
  const queue = findQueue(model, spec.queue);
  const definition = findJobDefinition(model, spec.jobDefinition);
  return buildSubmitJobRequest(spec, {
    jobQueue: queue.jobQueueName,
    jobDefinition: definitionRef(definition),
    multinode: definition.type === 'multinode',
    dependency: (ref) => ids.get(ref) ?? ref,
  });
}
