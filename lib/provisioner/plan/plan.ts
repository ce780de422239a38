/**
 * The plan: for each desired resource, create / update in place / replace / no-op, with the reason
 * for each replacement, in dependency order.
 */
import type { ProvisionerClients } from '../clients/interfaces';
import { diffNetwork, observeNetwork } from './network-observe';
import { observeImageAssets, planImageAsset } from './image-assets';
import { keepSymbolicVersion, networkBlocker, plannedVersions, resolveLaunchTemplateVersion } from './network-plan';
import { findOrphans } from './orphans';
import { readInlinePolicies } from './iam-reader';
import { readNetwork } from './network-reader';
import {
  diffComputeEnvironment,
  diffJobDefinition,
  diffJobQueue,
  diffSchedulingPolicy,
  type FieldChange,
} from './diff';
import { STACK_TAG, desiredState, type DesiredResource, type DesiredState } from './desired';
import type { BatchModel } from '../../core/model/batch-model';
import { observe, type ObservedResource, type ObservedState } from './observe';
import { deepEqual, isRecord, mapReferencesIn, prune, refToken } from './refs';

/** What happens to one resource (`delete`: batchkit created it for the stack and the app no longer has it). */
export type PlanActionType = 'create' | 'update' | 'replace' | 'delete' | 'no-op';

/** One step of the plan. */
export interface PlanAction {
  /** `Kind:name`. */
  readonly key: string;
  /** Kind. */
  readonly kind: DesiredResource['kind'];
  /** The model's name. */
  readonly name: string;
  /** Stack tag value. */
  readonly stack: string;
  /** What happens. */
  readonly action: PlanActionType;
  /** One sentence per reason: changed fields, and for a replacement which field cannot be updated in place. */
  readonly reasons: string[];
  /** Changed fields. */
  readonly changes: FieldChange[];
  /** Keys this one waits for. */
  readonly dependsOn: readonly string[];
  /** The existing resource, when there is one. */
  readonly existing?: ExistingResource;
  /** What to create (absent for `delete`). */
  readonly desired?: DesiredResource;
}

/** Real identity of an existing resource. */
export interface ExistingResource {
  /** Real name (or EC2 id). */
  readonly name: string;
  /** Real ARN. */
  readonly arn?: string;
  /** Attributes apply reads (a launch template's version numbers, a route table association's id). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A plan. */
export interface Plan {
  /** Steps in dependency order. */
  readonly actions: PlanAction[];
  /** Problems that stop `apply` (nothing is changed while there are any). */
  readonly blockers: string[];
  /** Real ARN and name of each existing resource, by key (apply starts from these). */
  readonly existing: Record<string, ExistingResource>;
}

/** True when applying the plan would change nothing. */
export function isEmptyPlan(plan: Plan): boolean {
  return plan.actions.every((a) => a.action === 'no-op');
}

function canonicalObserved(o: ObservedResource, observed: ObservedState): Record<string, unknown> {
  return mapReferencesIn(o.detail, (s) => {
    const k = observed.realRefs.get(s);
    return k ? refToken(k) : undefined;
  });
}

function describeChange(c: FieldChange): string {
  if (c.summary) return `${c.field}: ${c.summary}`;
  const show = (v: unknown) => (v === undefined ? '(not set)' : JSON.stringify(v));
  return `${c.field}: ${show(c.from)} → ${show(c.to)}`;
}

function diffFor(r: DesiredResource, existing: Record<string, unknown>): FieldChange[] {
  switch (r.kind) {
    case 'IamRole': {
      const out: FieldChange[] = [];
      if (!deepEqual(existing.trustedServices, r.trustedServices))
        out.push({
          field: 'AssumeRolePolicyDocument (trusted services)',
          from: existing.trustedServices,
          to: r.trustedServices,
        });
      if (!deepEqual(existing.managedPolicyArns, r.managedPolicyArns))
        out.push({ field: 'ManagedPolicyArns', from: existing.managedPolicyArns, to: r.managedPolicyArns });
      const from = isRecord(existing.inlinePolicies) ? existing.inlinePolicies : {};
      for (const name of [...new Set([...Object.keys(from), ...Object.keys(r.inlinePolicies)])].sort()) {
        if (name in from !== name in r.inlinePolicies || !deepEqual(prune(from[name]), prune(r.inlinePolicies[name])))
          out.push({ field: `Policies.${name}`, from: from[name], to: r.inlinePolicies[name] });
      }
      return out;
    }
    case 'InstanceProfile': {
      const roles = Array.isArray(existing.roles) ? existing.roles : [];
      const from = roles.filter((x): x is string => typeof x === 'string').sort();
      const to = [...r.roles].sort();
      return deepEqual(from, to) ? [] : [{ field: 'Roles', from, to }];
    }
    case 'SchedulingPolicy':
      return diffSchedulingPolicy(r.spec, existing);
    case 'ComputeEnvironment':
      return diffComputeEnvironment(r.spec, existing);
    case 'JobQueue':
      return diffJobQueue(r.spec, existing);
    case 'JobDefinition':
      return diffJobDefinition(r.spec, existing);
    case 'Network':
      return diffNetwork(r, existing);
    case 'ImageAsset':
      return [];
  }
}

/** Builds the plan from a desired state and what exists. */
export function planFrom(desired: DesiredState, observed: ObservedState): Plan {
  const blockers = [...desired.problems];
  const actions: PlanAction[] = [];
  const replaced = new Set<string>();
  const existing: Record<string, ExistingResource> = {};
  // Launch template version numbers as they will be after apply: `ref(<key>).<attribute>` → number.
  const versions = new Map<string, string>();
  // Launch templates that get a new default version in this plan.
  const moved = new Set<string>();
  for (const r of desired.resources) {
    const o = observed.byKey.get(r.key);
    if (r.kind === 'ImageAsset') {
      // Pushing into an existing repository batchkit did not create is fine (the CDK bootstrap's); destroy leaves
      // it alone.
      const a = planImageAsset(r, o, actions);
      if (a.existing) existing[r.key] = a.existing;
      actions.push(a);
      continue;
    }
    const base = { key: r.key, kind: r.kind, name: r.name, stack: r.stack, dependsOn: r.dependsOn, desired: r };
    if (!o) {
      if (r.kind === 'Network' && plannedVersions(r, 'create', [], undefined, versions)) moved.add(r.key);
      actions.push({ ...base, action: 'create', reasons: ['does not exist'], changes: [] });
      continue;
    }
    existing[r.key] = {
      name: o.name,
      ...(o.arn ? { arn: o.arn } : {}),
      ...(o.attributes ? { attributes: o.attributes } : {}),
    };
    if (o.stackTag !== r.stack) {
      blockers.push(
        `${r.kind} "${o.name}" (${r.origin}) exists but ` +
          `${o.stackTag === undefined ? `has no ${STACK_TAG} tag` : `belongs to stack "${o.stackTag}"`}; ` +
          `batchkit changes only resources it created for stack "${r.stack}". ` +
          `Fix: rename the resource in the app, delete the existing one, or tag ` +
          `it ${STACK_TAG}=${r.stack} to let batchkit manage it.`,
      );
    }
    const diffed = diffFor(
      r.kind === 'ComputeEnvironment' ? resolveLaunchTemplateVersion(r, versions) : r,
      canonicalObserved(o, observed),
    );
    const changes = r.kind === 'ComputeEnvironment' ? keepSymbolicVersion(r, diffed, moved) : diffed;
    const replacements = changes.filter((c) => c.replacement);
    let action: PlanActionType = changes.length === 0 ? 'no-op' : replacements.length > 0 ? 'replace' : 'update';
    const reasons = changes.map((c) =>
      c.replacement ? `${describeChange(c)} — replacement: ${c.replacement}` : describeChange(c),
    );
    if (r.kind === 'JobDefinition' && action !== 'no-op') {
      action = 'update';
      const revision = typeof o.detail.revision === 'number' ? o.detail.revision : 0;
      reasons.unshift(`job definitions are immutable: registers revision ${revision + 1}`);
    }
    const dependsOnReplaced = r.dependsOn.filter((d) => replaced.has(d));
    if (action === 'no-op' && dependsOnReplaced.length > 0 && r.kind === 'JobQueue') {
      action = 'update';
      reasons.push(`computeEnvironmentOrder: repoint to the replacement of ${dependsOnReplaced.join(', ')}`);
    }
    if (r.kind === 'Network') {
      for (const c of replacements) blockers.push(networkBlocker(r, o.name, c));
      const version = plannedVersions(r, action, changes, o.attributes, versions);
      if (r.cfnType === 'AWS::EC2::LaunchTemplate' && action === 'update') moved.add(r.key);
      if (version && action === 'update')
        reasons.unshift(
          `launch template data changed: creates version ${version} with the new ` +
            `data and makes it the default version`,
        );
    }
    if (action === 'replace') replaced.add(r.key);
    actions.push({ ...base, action, reasons, changes, existing: existing[r.key] });
  }
  return { actions, blockers, existing };
}

/** Options of {@link createPlan}. */
export interface PlanOptions {
  /**
   * Stack tag value for resources whose source names no stack (a single template).
   * @default 'batchkit'
   */
  readonly defaultStack?: string;
  /**
   * The app path the model was loaded from: its EC2 networking and launch templates are planned too.
   * @default - only the model's IAM and Batch resources
   */
  readonly appPath?: string;
  /**
   * Stacks of the app (with `appPath`).
   * @default - every stack
   */
  readonly stacks?: readonly string[];
}

/** Reads the model's desired state, looks up what exists and plans. */
export async function createPlan(
  model: BatchModel,
  clients: ProvisionerClients,
  options: PlanOptions = {},
): Promise<Plan> {
  const network = options.appPath
    ? readNetwork(options.appPath, model.environment, options.stacks)
    : { resources: [], versionReferences: [] };
  const inline = options.appPath
    ? readInlinePolicies(options.appPath, model.environment, options.stacks)
    : new Map<string, Record<string, unknown>>();
  const desired = desiredState(model, options.defaultStack, network.resources, inline, network.versionReferences);
  const observed = await observe(clients, desired);
  for (const [key, o] of await observeNetwork(clients, desired)) {
    observed.byKey.set(key, o);
    observed.realRefs.set(o.name, key);
  }
  for (const [key, o] of await observeImageAssets(clients, desired)) {
    observed.byKey.set(key, o);
    if (o.arn) observed.realRefs.set(o.arn, key);
  }
  const plan = planFrom(desired, observed);
  plan.actions.push(...(await findOrphans(clients, desired, observed, plan.actions)));
  return plan;
}

/** The plan as text: one line per resource, reasons indented. */
export function renderPlan(plan: Plan): string {
  const mark: Record<PlanActionType, string> = { create: '+', update: '~', replace: '-/+', delete: '-', 'no-op': '=' };
  let out = '';
  for (const a of plan.actions) {
    out +=
      `${mark[a.action].padEnd(3)} ${a.action.padEnd(7)} ${a.kind} ${a.name}` +
      `${a.existing && a.existing.name !== a.name ? ` (now ${a.existing.name})` : ''}\n`;
    if (a.action !== 'no-op') for (const r of a.reasons) out += `      ${r}\n`;
  }
  for (const b of plan.blockers) out += `BLOCKED ${b}\n`;
  const count = (t: PlanActionType) => plan.actions.filter((a) => a.action === t).length;
  out +=
    `Plan: ${count('create')} to create, ${count('update')} to update, ` +
    `${count('replace')} to replace, ${count('delete')} to delete, ${count('no-op')} unchanged` +
    `${plan.blockers.length ? `, ${plan.blockers.length} blocker(s)` : ''}.\n`;
  return out;
}
