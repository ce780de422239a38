/**
 * The nodes of a multi-node parallel job: which container each node index runs, after node
 * overrides. Ranges are `start:end`, `:end`, `start:` or a single index; when ranges overlap the
 * later one wins.
 * @see https://docs.aws.amazon.com/batch/latest/userguide/multi-node-job-def.html
 */
import type { ContainerDetail, NodeOverrides } from '../../core/model/job';
import type { JobDefinition, NodeProperties } from '../../core/model/job-definition';
import { BatchkitError } from '../../core/errors';
import { resolveContainer } from './container-overrides';

/** The indexes a `targetNodes` range covers among `numNodes` nodes. */
export function rangeIndexes(targetNodes: string, numNodes: number): number[] {
  const m = /^(\d*)(?::(\d*))?$/.exec(targetNodes.trim());
  if (!m || (m[1] === '' && m[2] === undefined)) return [];
  const start = m[1] === '' ? 0 : Number(m[1]);
  const end = m[2] === undefined ? start : m[2] === '' ? numNodes - 1 : Number(m[2]);
  const out: number[] = [];
  for (let i = start; i <= Math.min(end, numNodes - 1); i++) out.push(i);
  return out;
}

/** Nodes of a job: its node properties and one container per node index. */
export interface NodeLayout {
  /** Node properties as DescribeJobs shows them. */
  readonly nodeProperties: NodeProperties;
  /** Container of each node, by index. */
  readonly containers: ContainerDetail[];
}

/** Lays out the nodes of a multi-node job definition. Throws an input error when a node has no container. */
export function nodeLayout(
  jd: JobDefinition,
  parameters: Record<string, string>,
  overrides: NodeOverrides | undefined,
  where: string,
): NodeLayout {
  const np = jd.nodeProperties;
  if (!np)
    throw new BatchkitError('BATCHKIT-LOCAL-201', 'input', `${where} is type multinode but has no nodeProperties.`);
  const numNodes = overrides?.numNodes ?? np.numNodes;
  const containers: (ContainerDetail | undefined)[] = new Array(numNodes).fill(undefined);
  for (const range of np.nodeRangeProperties) {
    if (!range.container) continue;
    const override = overrides?.nodePropertyOverrides?.find(
      (o) => o.targetNodes === range.targetNodes,
    )?.containerOverrides;
    for (const i of rangeIndexes(range.targetNodes, numNodes))
      containers[i] = resolveContainer(range.container, parameters, override);
  }
  const missing = containers.findIndex((c) => c === undefined);
  if (missing >= 0) {
    throw new BatchkitError(
      'BATCHKIT-LOCAL-201',
      'input',
      `${where} nodeProperties: node ${missing} of ${numNodes} is not covered ` +
        `by any nodeRangeProperties entry with a container.`,
      {
        fix: 'cover every node index with a range such as "0:" or lower numNodes.',
      },
    );
  }
  if (np.mainNode < 0 || np.mainNode >= numNodes) {
    throw new BatchkitError(
      'BATCHKIT-LOCAL-201',
      'input',
      `${where} nodeProperties.mainNode: ${np.mainNode} is not a node index (0 to ${numNodes - 1}).`,
    );
  }
  return { nodeProperties: { ...np, numNodes }, containers: containers as ContainerDetail[] };
}
