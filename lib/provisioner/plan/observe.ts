/**
 * What exists: each desired resource looked up by name (compute environments also by the
 * `batchkit:name` tag, which follows them through replacements), read into model shapes.
 */
import type * as batch from '@aws-sdk/client-batch';
import type { ProvisionerClients } from '../clients/interfaces';
import { errorName } from '../clients/retry';
import { NAME_TAG, STACK_TAG, type DesiredResource, type DesiredState } from './desired';
import { isRecord } from './refs';

/** One existing resource. */
export interface ObservedResource {
  /** The desired resource's key. */
  readonly key: string;
  /** Real name (a replaced compute environment's name differs from the model's). */
  readonly name: string;
  /** Real ARN. */
  readonly arn?: string;
  /** Value of the `batchkit:stack` tag; undefined when the resource is not batchkit's. */
  readonly stackTag?: string;
  /** The resource as read, in API shape (for diffs). */
  readonly detail: Record<string, unknown>;
  /**
   * Attributes apply needs besides the name and ARN (a launch template's `LatestVersionNumber` and
   * `DefaultVersionNumber`, a route table association's `AssociationId`).
   * @default - none
   */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** What exists for a desired state. */
export interface ObservedState {
  /** By desired key; absent keys do not exist. */
  readonly byKey: Map<string, ObservedResource>;
  /** Real ARN or name → desired key. */
  readonly realRefs: Map<string, string>;
}

function tagsOf(list: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list ?? []) if (t.Key) out[t.Key] = t.Value ?? '';
  return out;
}

/** A policy document as IAM returns it (URL-encoded JSON), parsed; undefined when unreadable. */
export function parsePolicyDocument(document: string | undefined): unknown {
  if (!document) return undefined;
  try {
    return JSON.parse(document.trimStart().startsWith('{') ? document : decodeURIComponent(document));
  } catch {
    return undefined;
  }
}

/** Services allowed to assume a role by its trust policy (IAM returns the document URL-encoded). */
export function trustedServicesOf(document: string | undefined): string[] {
  if (!document) return [];
  let doc: unknown;
  try {
    const encoded = document.startsWith('%7B') || document.startsWith('%7b');
    doc = JSON.parse(encoded ? decodeURIComponent(document) : document);
  } catch {
    return [];
  }
  const statement = isRecord(doc) ? doc.Statement : undefined;
  const statements = Array.isArray(statement) ? statement : statement ? [statement] : [];
  const out = new Set<string>();
  for (const s of statements.filter(isRecord)) {
    if (s.Effect !== 'Allow') continue;
    const svc = isRecord(s.Principal) ? s.Principal.Service : undefined;
    for (const x of Array.isArray(svc) ? svc : [svc]) if (typeof x === 'string') out.add(x);
  }
  return [...out].sort();
}

/** Every compute environment of the account (all pages). */
export async function allComputeEnvironments(clients: ProvisionerClients): Promise<batch.ComputeEnvironmentDetail[]> {
  const out: batch.ComputeEnvironmentDetail[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.batch.describeComputeEnvironments({ nextToken });
    out.push(...(page.computeEnvironments ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Every job queue of the account (all pages). */
export async function allJobQueues(clients: ProvisionerClients): Promise<batch.JobQueueDetail[]> {
  const out: batch.JobQueueDetail[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.batch.describeJobQueues({ nextToken });
    out.push(...(page.jobQueues ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Every scheduling policy ARN of the account (all pages). */
export async function allSchedulingPolicyArns(clients: ProvisionerClients): Promise<string[]> {
  const out: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.batch.listSchedulingPolicies({ nextToken });
    for (const p of page.schedulingPolicies ?? []) if (p.arn) out.push(p.arn);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** DescribeSchedulingPolicies for any number of ARNs (the API takes 100 at a time). */
export async function describePolicies(
  clients: ProvisionerClients,
  arns: readonly string[],
): Promise<batch.SchedulingPolicyDetail[]> {
  const out: batch.SchedulingPolicyDetail[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    out.push(
      ...((await clients.batch.describeSchedulingPolicies({ arns: arns.slice(i, i + 100) })).schedulingPolicies ?? []),
    );
  }
  return out;
}

/** The ACTIVE revisions of a job definition name, newest first. */
export async function activeRevisions(clients: ProvisionerClients, name?: string): Promise<batch.JobDefinition[]> {
  const out: batch.JobDefinition[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.batch.describeJobDefinitions({
      ...(name ? { jobDefinitionName: name } : {}),
      status: 'ACTIVE',
      nextToken,
    });
    out.push(...(page.jobDefinitions ?? []).filter((d) => d.status === undefined || d.status === 'ACTIVE'));
    nextToken = page.nextToken;
  } while (nextToken);
  return out.sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0));
}

async function observeRole(clients: ProvisionerClients, r: DesiredResource): Promise<ObservedResource | undefined> {
  let role;
  try {
    role = (await clients.iam.getRole({ RoleName: r.name })).Role;
  } catch (e) {
    if (errorName(e) === 'NoSuchEntity' || errorName(e) === 'NoSuchEntityException') return undefined;
    throw e;
  }
  if (!role) return undefined;
  const attached = await clients.iam.listAttachedRolePolicies({ RoleName: r.name });
  const inlinePolicies: Record<string, unknown> = {};
  for (const policyName of (await clients.iam.listRolePolicies({ RoleName: r.name })).PolicyNames ?? []) {
    const doc = (await clients.iam.getRolePolicy({ RoleName: r.name, PolicyName: policyName })).PolicyDocument;
    inlinePolicies[policyName] = parsePolicyDocument(doc);
  }
  const tags = tagsOf(role.Tags);
  return {
    key: r.key,
    name: r.name,
    arn: role.Arn,
    stackTag: tags[STACK_TAG],
    detail: {
      trustedServices: trustedServicesOf(role.AssumeRolePolicyDocument),
      managedPolicyArns: (attached.AttachedPolicies ?? [])
        .map((p) => p.PolicyArn ?? '')
        .filter(Boolean)
        .sort(),
      inlinePolicies,
    },
  };
}

async function observeProfile(clients: ProvisionerClients, r: DesiredResource): Promise<ObservedResource | undefined> {
  let profile;
  try {
    profile = (await clients.iam.getInstanceProfile({ InstanceProfileName: r.name })).InstanceProfile;
  } catch (e) {
    if (errorName(e) === 'NoSuchEntity' || errorName(e) === 'NoSuchEntityException') return undefined;
    throw e;
  }
  if (!profile) return undefined;
  const tags = tagsOf(profile.Tags);
  return {
    key: r.key,
    name: r.name,
    arn: profile.Arn,
    stackTag: tags[STACK_TAG],
    detail: { roles: (profile.Roles ?? []).map((x) => x.RoleName ?? '') },
  };
}

/** 1 for `<name>`, N for a replacement `<name>-N`. */
function copyNumber(actual: string, modelName: string): number {
  if (actual === modelName) return 1;
  const m = /-(\d+)$/.exec(actual);
  return actual.startsWith(`${modelName.slice(0, 128 - (m?.[0].length ?? 0))}-`) && m ? Number(m[1]) : 0;
}

/** Looks up every desired resource. */
export async function observe(clients: ProvisionerClients, desired: DesiredState): Promise<ObservedState> {
  const byKey = new Map<string, ObservedResource>();
  const realRefs = new Map<string, string>();
  const add = (o: ObservedResource | undefined) => {
    if (!o) return;
    byKey.set(o.key, o);
    if (o.arn) realRefs.set(o.arn, o.key);
    realRefs.set(o.name, o.key);
  };
  const of = (kind: DesiredResource['kind']) => desired.resources.filter((r) => r.kind === kind);

  for (const r of of('IamRole')) add(await observeRole(clients, r));
  for (const r of of('InstanceProfile')) add(await observeProfile(clients, r));

  const policies = of('SchedulingPolicy');
  if (policies.length > 0) {
    const arns = await allSchedulingPolicyArns(clients);
    const wanted = arns.filter((a) => policies.some((p) => a.endsWith(`/${p.name}`)));
    if (wanted.length > 0) {
      const details = await describePolicies(clients, wanted);
      for (const p of policies) {
        const d = details.find((x) => x.name === p.name);
        if (d) add({ key: p.key, name: p.name, arn: d.arn, stackTag: d.tags?.[STACK_TAG], detail: { ...d } });
      }
    }
  }

  const envs = of('ComputeEnvironment');
  if (envs.length > 0) {
    const all = (await allComputeEnvironments(clients)).filter(
      (c) => c.status !== 'DELETED' && c.status !== 'DELETING',
    );
    for (const e of envs) {
      // The newest copy wins (`<name>-3` over `<name>-2` over `<name>`): after an interrupted
      // replacement the older copies are left for the plan to delete.
      const copies = all
        .filter(
          (c) =>
            c.computeEnvironmentName === e.name || (c.tags?.[NAME_TAG] === e.name && c.tags?.[STACK_TAG] === e.stack),
        )
        .sort(
          (a, b) =>
            copyNumber(b.computeEnvironmentName ?? '', e.name) - copyNumber(a.computeEnvironmentName ?? '', e.name),
        );
      const d = copies[0];
      if (d)
        add({
          key: e.key,
          name: d.computeEnvironmentName ?? e.name,
          arn: d.computeEnvironmentArn,
          stackTag: d.tags?.[STACK_TAG],
          detail: { ...d },
        });
    }
  }

  const queues = of('JobQueue');
  for (let i = 0; i < queues.length; i += 100) {
    const chunk = queues.slice(i, i + 100);
    const found = (await clients.batch.describeJobQueues({ jobQueues: chunk.map((q) => q.name) })).jobQueues ?? [];
    for (const q of chunk) {
      const d = found.find((x) => x.jobQueueName === q.name && x.status !== 'DELETED' && x.status !== 'DELETING');
      if (d) add({ key: q.key, name: q.name, arn: d.jobQueueArn, stackTag: d.tags?.[STACK_TAG], detail: { ...d } });
    }
  }

  for (const jd of of('JobDefinition')) {
    const latest = (await activeRevisions(clients, jd.name))[0];
    if (latest) {
      add({
        key: jd.key,
        name: jd.name,
        arn: latest.jobDefinitionArn,
        stackTag: latest.tags?.[STACK_TAG],
        detail: { ...latest },
      });
    }
  }
  return { byKey, realRefs };
}
