/**
 * References between desired resources. The model holds the values the template would resolve to
 * (role ARNs in the model's account, generated names); the account holds real ones. Plans compare
 * both sides in "reference space": every value that points at a resource batchkit manages becomes
 * `ref(<key>)`, so a queue pointing at the right compute environment compares equal whatever the
 * ARN's account is, and requests get the real values substituted just before they are sent.
 */

/** Fields whose string values name another resource even when they are not ARNs. */
export const REFERENCE_FIELDS: readonly string[] = [
  'serviceRole',
  'instanceRole',
  'spotIamFleetRole',
  'jobRoleArn',
  'executionRoleArn',
  'computeEnvironment',
  'schedulingPolicyArn',
  'roles',
  'subnets',
  'securityGroupIds',
  'launchTemplateId',
  'launchTemplateName',
  'VpcId',
  'SubnetId',
  'RouteTableId',
  'InternetGatewayId',
  'GatewayId',
  'NatGatewayId',
  'AllocationId',
  'GroupId',
  'SecurityGroupIds',
  'SourceSecurityGroupId',
  'DestinationSecurityGroupId',
  'Arn',
  'Name',
];

/**
 * Fields that hold container images. Their values are references only to docker image assets
 * (`ref(ImageAsset:<hash>)`): an image that happens to equal a queue's name is left alone.
 */
export const IMAGE_FIELDS: readonly string[] = ['image'];

/** The canonical form of a reference to the resource with this key. */
export function refToken(key: string): string {
  return `ref(${key})`;
}

/**
 * The canonical form of an attribute of a managed resource that is known only once the resource
 * exists (a launch template's `LatestVersionNumber`): `ref(<key>).<attribute>`. Plans substitute
 * the value the attribute will have after apply; apply substitutes the real one.
 */
export function attributeToken(key: string, attribute: string): string {
  return `${refToken(key)}.${attribute}`;
}

/** The key and attribute inside an {@link attributeToken}, or undefined. */
export function attributeOf(value: string): { readonly key: string; readonly attribute: string } | undefined {
  const m = /^ref\((.+)\)\.([A-Za-z]+)$/.exec(value);
  return m ? { key: m[1], attribute: m[2] } : undefined;
}

/** The key inside a {@link refToken}, or undefined. */
export function refKeyOf(value: string): string | undefined {
  const m = /^ref\((.+)\)$/.exec(value);
  return m ? m[1] : undefined;
}

function isReferenceValue(key: string | undefined, value: string): boolean {
  return value.startsWith('arn:') || (key !== undefined && REFERENCE_FIELDS.includes(key));
}

/**
 * Deep copy of `value` with each reference string that `lookup` knows replaced by what it returns.
 * Only ARNs and the {@link REFERENCE_FIELDS} are looked at, so an environment variable that happens
 * to equal a name is left alone. `found` collects the keys met.
 */
export function mapReferences(
  value: unknown,
  lookup: (s: string) => string | undefined,
  found?: Set<string>,
  field?: string,
): unknown {
  if (typeof value === 'string') {
    const image = field !== undefined && IMAGE_FIELDS.includes(field);
    if (!image && !isReferenceValue(field, value)) return value;
    const replaced = lookup(value);
    if (replaced === undefined) return value;
    const k = refKeyOf(replaced);
    if (image !== (k?.startsWith('ImageAsset:') === true)) return value;
    if (k) found?.add(k);
    return replaced;
  }
  if (Array.isArray(value)) return value.map((v) => mapReferences(v, lookup, found, field));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapReferences(v, lookup, found, k);
    return out;
  }
  return value;
}

/**
 * {@link mapReferences} for a typed value: strings are replaced by strings, arrays and objects are
 * rebuilt with the same indexes and keys, so the result has the shape of the input.
 */
export function mapReferencesIn<T>(value: T, lookup: (s: string) => string | undefined, found?: Set<string>): T {
  // A narrowing the compiler cannot see: the walk above preserves the shape (see the summary).
  return mapReferences(value, lookup, found) as T;
}

/** The fields of an SDK output object as a record (what the plan's diffs read by name). */
export function fieldsOf(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = v;
  return out;
}

/** True for a non-null object (an array included): its fields can be read by name. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Removes undefined, null, empty arrays and empty objects, recursively. */
export function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v) => v !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value === null ? undefined : value;
}

/** Deep equality of JSON-like values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && isRecord(a) && isRecord(b) && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Sorted copy of a string list (for fields where AWS does not keep order: subnets, security groups). */
export function sortedStrings(v: unknown): unknown {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? [...v].sort() : v;
}
