/**
 * Multi-node parallel job definitions: `nodeProperties` (User Guide "Node properties", "Node
 * groups"; API reference `NodeProperties`, `NodeRangeProperty`).
 */
import type { LoadedJobDefinition, NodeProperties } from '../model/job-definition';
import { isUnresolved } from '../model/unresolved';
import type { Finding } from './finding';
import { definitionRule, isObject, type DefinitionCheck } from './job-definition-common';
import { isInteger } from './names';
import { whenKnown, type Rule } from './rule';

/** Most nodes a multi-node parallel job may have. */
export const MAX_NUM_NODES = 1000;
/** Most node ranges (node groups) a multi-node parallel job definition may have. */
export const MAX_NODE_RANGES = 5;

/** A parsed `targetNodes` range, inclusive. */
export interface NodeRange {
  /** First node index. */
  readonly start: number;
  /** Last node index. */
  readonly end: number;
}

/**
 * Parses `targetNodes`: `start:end`, `:end` (from 0), `start:` (to the last node) or a single
 * index. `numNodes` fills an omitted end; without it an omitted end stays open (`Infinity`).
 * Returns a problem text when the syntax or bounds are wrong.
 */
export function parseTargetNodes(targetNodes: string, numNodes?: number): NodeRange | { problem: string } {
  const m = /^(\d*):(\d*)$/.exec(targetNodes) ?? /^(\d+)$/.exec(targetNodes);
  if (!m) return { problem: 'is not a node range' };
  const last = numNodes === undefined ? Number.POSITIVE_INFINITY : numNodes - 1;
  const single = m.length === 2;
  const start = single ? Number(m[1]) : m[1] === '' ? 0 : Number(m[1]);
  const end = single ? start : m[2] === '' ? last : Number(m[2]);
  if (start > end) return { problem: `starts after it ends (${start} > ${end})` };
  if (end > last) return { problem: `ends at node ${end}, past the last node ${last} (numNodes ${numNodes})` };
  return { start, end };
}

/** `numNodes` when it is a known integer within 1-1000. */
function knownNumNodes(np: NodeProperties): number | undefined {
  return isInteger(np.numNodes) && np.numNodes >= 1 && np.numNodes <= MAX_NUM_NODES ? np.numNodes : undefined;
}

/** The node ranges of a definition that parse, with their index in `nodeRangeProperties`. */
export function parsedRanges(jd: LoadedJobDefinition): Array<NodeRange & { index: number }> {
  const np = jd.nodeProperties;
  if (!isObject(np) || !Array.isArray(np.nodeRangeProperties)) return [];
  const numNodes = knownNumNodes(np);
  const out: Array<NodeRange & { index: number }> = [];
  np.nodeRangeProperties.forEach((r, index) => {
    if (typeof r?.targetNodes !== 'string' || isUnresolved(r.targetNodes)) return;
    const parsed = parseTargetNodes(r.targetNodes, numNodes);
    if ('start' in parsed) out.push({ ...parsed, index });
  });
  return out;
}

/** Node indexes as compact text: `0-3, 7`. */
export function describeNodes(nodes: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < nodes.length; i++) {
    let j = i;
    while (j + 1 < nodes.length && nodes[j + 1] === nodes[j] + 1) j++;
    parts.push(i === j ? `${nodes[i]}` : `${nodes[i]}-${nodes[j]}`);
    i = j;
  }
  return parts.join(', ');
}

/**
 * Nodes 0..numNodes-1 that no range covers whose container satisfies `has`. Undefined when
 * numNodes or a range is not known (the caller reports that elsewhere).
 */
export function nodesWithout(jd: LoadedJobDefinition, has: (rangeIndex: number) => boolean): number[] | undefined {
  const np = jd.nodeProperties;
  if (!isObject(np) || !Array.isArray(np.nodeRangeProperties)) return undefined;
  const numNodes = knownNumNodes(np);
  if (numNodes === undefined) return undefined;
  if (np.nodeRangeProperties.some((r) => isUnresolved(r?.targetNodes))) return undefined;
  const ranges = parsedRanges(jd).filter((r) => has(r.index));
  const missing: number[] = [];
  for (let node = 0; node < numNodes; node++) {
    if (!ranges.some((r) => r.start <= node && node <= r.end)) missing.push(node);
  }
  return missing;
}

function nodePropertiesOf(c: DefinitionCheck): NodeProperties | undefined {
  return isObject(c.jd.nodeProperties) ? c.jd.nodeProperties : undefined;
}

const numNodesAndMainNode = definitionRule(
  'BATCH-JD-015',
  'error',
  'nodeProperties.numNodes is an integer 1-1000 and mainNode an index in ' +
    '[0, numNodes-1] (User Guide: Node properties).',
  (c) => {
    const np = nodePropertiesOf(c);
    if (!np) return [];
    const out: Finding[] = [];
    out.push(
      ...whenKnown(c.ctx, c.ref, 'nodeProperties.numNodes', np.numNodes, (n) =>
        isInteger(n) && n >= 1 && n <= MAX_NUM_NODES
          ? []
          : [
              c.report({
                field: 'nodeProperties.numNodes',
                problem: 'the number of nodes is not an integer from 1 to 1000.',
                value: n,
                allowed: `an integer from 1 to ${MAX_NUM_NODES}`,
                fix: 'Set numNodes to the number of nodes the job needs (1-1000).',
              }),
            ],
      ),
    );
    const numNodes = knownNumNodes(np);
    out.push(
      ...whenKnown(c.ctx, c.ref, 'nodeProperties.mainNode', np.mainNode, (m) => {
        const upper = numNodes === undefined ? undefined : numNodes - 1;
        if (isInteger(m) && m >= 0 && (upper === undefined || m <= upper)) return [];
        return [
          c.report({
            field: 'nodeProperties.mainNode',
            problem: 'the main node is not a node index of this job.',
            value: m,
            allowed: upper === undefined ? 'an integer >= 0 below numNodes' : `an integer from 0 to ${upper}`,
            fix: "Set mainNode to the index of one of the job's nodes (usually 0).",
          }),
        ];
      }),
    );
    return out;
  },
);

const nodeRanges = definitionRule(
  'BATCH-JD-016',
  'error',
  'nodeProperties.nodeRangeProperties has 1-5 ranges, each targetNodes ' +
    '"start:end", ":end" or "start:" within [0, numNodes-1] with start <= end.',
  (c) => {
    const np = nodePropertiesOf(c);
    if (!np) return [];
    const ranges = Array.isArray(np.nodeRangeProperties) ? np.nodeRangeProperties : [];
    const out: Finding[] = [];
    if (ranges.length < 1 || ranges.length > MAX_NODE_RANGES) {
      out.push(
        c.report({
          field: 'nodeProperties.nodeRangeProperties',
          problem: `the job definition has ${ranges.length} node ranges.`,
          value: ranges.length,
          allowed: `1-${MAX_NODE_RANGES} node ranges (node groups)`,
          fix:
            ranges.length < 1
              ? 'Add a node range such as { targetNodes: "0:", container: {...} } covering every node.'
              : 'Merge node groups that share a container so that at most 5 remain.',
        }),
      );
    }
    const numNodes = knownNumNodes(np);
    ranges.forEach((r, i) => {
      const field = `nodeProperties.nodeRangeProperties[${i}].targetNodes`;
      out.push(
        ...whenKnown(c.ctx, c.ref, field, r?.targetNodes, (t) => {
          if (typeof t !== 'string') {
            return [
              c.report({
                field,
                problem: 'the node range is missing.',
                allowed: '"start:end", ":end" or "start:" with node indexes',
                fix: 'Set targetNodes, e.g. "0:3" for nodes 0 to 3.',
              }),
            ];
          }
          const parsed = parseTargetNodes(t, numNodes);
          if ('start' in parsed) return [];
          return [
            c.report({
              field,
              problem: `the node range ${parsed.problem}.`,
              value: t,
              allowed:
                `"start:end", ":end" or "start:" with 0 <= start <= end <= ` +
                `${numNodes === undefined ? 'numNodes-1' : numNodes - 1}`,
              fix:
                'Write the range as first and last node index, e.g. "0:3"; omit the end ' +
                '("4:") to reach the last node.',
            }),
          ];
        }),
      );
    });
    return out;
  },
);

const nodeCoverage = definitionRule(
  'BATCH-JD-017',
  'error',
  'The node ranges together cover every node 0..numNodes-1 (User Guide: ' +
    '"Your accumulative node ranges must account for all nodes").',
  (c) => {
    const np = nodePropertiesOf(c);
    if (!np) return [];
    return whenKnown(c.ctx, c.ref, 'nodeProperties.numNodes', np.numNodes, () => {
      const missing = nodesWithout(c.jd, () => true);
      if (!missing || missing.length === 0) return [];
      return [
        c.report({
          field: 'nodeProperties.nodeRangeProperties',
          problem: `no node range covers node(s) ${describeNodes(missing)}.`,
          value: (np.nodeRangeProperties ?? []).map((r) => r?.targetNodes),
          allowed: `ranges whose union is 0:${(np.numNodes as number) - 1}`,
          fix:
            `Extend a range (e.g. end the last one with "start:" to reach node ` +
            `${(np.numNodes as number) - 1}) or add a range for the missing nodes.`,
        }),
      ];
    });
  },
);

const nodeOverlap = definitionRule(
  'BATCH-JD-018',
  'warning',
  'Node ranges either nest (the inner range overrides, as documented) or ' +
    'do not overlap; partial or duplicate overlaps are ambiguous.',
  (c) => {
    const ranges = parsedRanges(c.jd);
    const out: Finding[] = [];
    for (let i = 0; i < ranges.length; i++) {
      for (let j = i + 1; j < ranges.length; j++) {
        const a = ranges[i];
        const b = ranges[j];
        const intersect = a.start <= b.end && b.start <= a.end;
        if (!intersect) continue;
        const same = a.start === b.start && a.end === b.end;
        const nested = (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end);
        if (nested && !same) continue;
        out.push(
          c.report({
            field: `nodeProperties.nodeRangeProperties[${b.index}].targetNodes`,
            problem: same
              ? `the range ${b.start}:${b.end} repeats nodeRangeProperties[${a.index}], ` +
                `so which container runs there is ambiguous.`
              : `the range ${b.start}:${b.end} partly overlaps nodeRangeProperties[` +
                `${a.index}] (${a.start}:${a.end}); Batch documents only nested ranges, ` +
                `where the inner one overrides.`,
            value: [
              c.jd.nodeProperties?.nodeRangeProperties[a.index]?.targetNodes,
              c.jd.nodeProperties?.nodeRangeProperties[b.index]?.targetNodes,
            ],
            allowed: 'disjoint ranges, or one range entirely inside another',
            fix: 'Split the ranges so that they do not overlap, or make one range contain the other.',
          }),
        );
      }
    }
    return out;
  },
);

const sameInstanceType = definitionRule(
  'BATCH-JD-019',
  'error',
  'All node groups of a multi-node parallel job use the same instanceType (User Guide: Node groups).',
  (c) => {
    const np = nodePropertiesOf(c);
    if (!np || !Array.isArray(np.nodeRangeProperties)) return [];
    const typed = np.nodeRangeProperties
      .map((r, i) => ({
        type: r?.container?.instanceType,
        field: `nodeProperties.nodeRangeProperties[${i}].container.instanceType`,
      }))
      .filter((t) => t.type !== undefined);
    const unresolved = typed.filter((t) => isUnresolved(t.type));
    if (unresolved.length > 0) return whenKnown(c.ctx, c.ref, unresolved[0].field, unresolved[0].type, () => []);
    const distinct = [...new Set(typed.map((t) => t.type))];
    if (distinct.length <= 1) return [];
    return [
      c.report({
        field: 'nodeProperties.nodeRangeProperties[].container.instanceType',
        problem: `the node groups use different instance types (${distinct.join(', ')}).`,
        value: distinct,
        allowed: 'one instance type for every node group',
        fix:
          `Use the same instanceType (e.g. "${distinct[0]}") in every node range, ` +
          `or leave it out to let Batch choose.`,
      }),
    ];
  },
);

/** The multi-node rules. */
export const MULTINODE_RULES: readonly Rule[] = [
  numNodesAndMainNode,
  nodeRanges,
  nodeCoverage,
  nodeOverlap,
  sameInstanceType,
];
