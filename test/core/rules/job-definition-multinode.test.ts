import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import type {
  ContainerProperties,
  LoadedJobDefinition,
  NodeRangeProperty,
} from '../../../lib/core/model/job-definition';
import { UNRESOLVED_NUMBER, unresolvedString } from '../../../lib/core/model/unresolved';
import { JOB_DEFINITION_RULES } from '../../../lib/core/rules/job-definition';
import { parseTargetNodes } from '../../../lib/core/rules/job-definition-multinode';
import { runRules } from '../../../lib/core/rules/rule';
import type { Finding } from '../../../lib/core/rules/finding';

const container = (extra: Partial<ContainerProperties> = {}): ContainerProperties => ({
  image: '123456789012.dkr.ecr.us-east-2.amazonaws.com/gromacs_mpi:latest',
  instanceType: 'p3.2xlarge',
  resourceRequirements: [
    { type: 'VCPU', value: '8' },
    { type: 'MEMORY', value: '24000' },
  ],
  ...extra,
});

function mnp(ranges: NodeRangeProperty[], numNodes = 4, mainNode = 0): LoadedJobDefinition {
  return {
    jobDefinitionName: 'gromacs',
    type: 'multinode',
    nodeProperties: { numNodes, mainNode, nodeRangeProperties: ranges },
  };
}

function run(code: string, jd: LoadedJobDefinition): Finding[] {
  const r = JOB_DEFINITION_RULES.find((x) => x.code === code)!;
  return r.check({ ...emptyBatchModel(), jobDefinitions: [jd] }, { code, severity: r.severity });
}

describe('parseTargetNodes', () => {
  test.each([
    ['0:3', 4, { start: 0, end: 3 }],
    [':2', 4, { start: 0, end: 2 }],
    ['2:', 4, { start: 2, end: 3 }],
    ['1', 4, { start: 1, end: 1 }],
    [':', 4, { start: 0, end: 3 }],
  ])('%s with %s nodes', (t, n, expected) => {
    expect(parseTargetNodes(t, n)).toEqual(expected);
  });
  test('bad syntax and bounds give a problem', () => {
    expect(parseTargetNodes('0-3', 4)).toEqual({ problem: 'is not a node range' });
    expect(parseTargetNodes('3:1', 4)).toEqual({ problem: 'starts after it ends (3 > 1)' });
    expect(parseTargetNodes('0:4', 4)).toEqual({ problem: 'ends at node 4, past the last node 3 (numNodes 4)' });
  });
});

describe('a compliant multi-node definition', () => {
  test('gives no finding from any job definition rule, nested ranges included', () => {
    const jd = mnp([
      { targetNodes: '0:', container: container() },
      { targetNodes: '1:2', container: container({ command: ['worker'] }) },
    ]);
    expect(runRules(JOB_DEFINITION_RULES, { ...emptyBatchModel(), jobDefinitions: [jd] })).toEqual([]);
  });
});

describe('BATCH-JD-015 numNodes and mainNode', () => {
  test('1000 nodes with main node 999 pass', () => {
    expect(run('BATCH-JD-015', mnp([{ targetNodes: '0:', container: container() }], 1000, 999))).toEqual([]);
  });
  test('1001 nodes are rejected', () => {
    const [f] = run('BATCH-JD-015', mnp([{ targetNodes: '0:', container: container() }], 1001));
    expect(f.field).toBe('nodeProperties.numNodes');
    expect(f.message).toContain('Got: 1001');
    expect(f.message).toContain('an integer from 1 to 1000');
  });
  test('a main node outside the job is rejected', () => {
    const [f] = run('BATCH-JD-015', mnp([{ targetNodes: '0:', container: container() }], 4, 4));
    expect(f.field).toBe('nodeProperties.mainNode');
    expect(f.message).toContain('an integer from 0 to 3');
  });
  test('unresolved numNodes gives the note', () => {
    const fs = run('BATCH-JD-015', mnp([{ targetNodes: '0:', container: container() }], UNRESOLVED_NUMBER));
    expect(fs.map((f) => f.code)).toEqual(['BATCH-UNRESOLVED']);
  });
});

describe('BATCH-JD-016 node ranges', () => {
  test('five ranges pass', () => {
    const ranges = ['0', '1', '2', '3', '4:'].map((t) => ({ targetNodes: t, container: container() }));
    expect(run('BATCH-JD-016', mnp(ranges, 8))).toEqual([]);
  });
  test('six ranges and zero ranges are rejected', () => {
    const six = ['0', '1', '2', '3', '4', '5:'].map((t) => ({ targetNodes: t, container: container() }));
    expect(run('BATCH-JD-016', mnp(six, 8))[0].message).toContain('Allowed: 1-5 node ranges');
    expect(run('BATCH-JD-016', mnp([], 8))[0].message).toContain('has 0 node ranges');
  });
  test('a range past the last node is rejected', () => {
    const [f] = run('BATCH-JD-016', mnp([{ targetNodes: '0:9', container: container() }], 4));
    expect(f.field).toBe('nodeProperties.nodeRangeProperties[0].targetNodes');
    expect(f.message).toContain('"0:9"');
    expect(f.message).toContain('past the last node 3');
  });
  test('unresolved targetNodes gives the note', () => {
    const [f] = run('BATCH-JD-016', mnp([{ targetNodes: unresolvedString('Ref Range'), container: container() }]));
    expect(f.code).toBe('BATCH-UNRESOLVED');
  });
});

describe('BATCH-JD-017 coverage', () => {
  test('ranges covering every node pass', () => {
    expect(
      run(
        'BATCH-JD-017',
        mnp([
          { targetNodes: ':1', container: container() },
          { targetNodes: '2:', container: container() },
        ]),
      ),
    ).toEqual([]);
  });
  test('uncovered nodes are listed', () => {
    const [f] = run(
      'BATCH-JD-017',
      mnp(
        [
          { targetNodes: '0:0', container: container() },
          { targetNodes: '2:2', container: container() },
        ],
        6,
      ),
    );
    expect(f.message).toContain('no node range covers node(s) 1, 3-5');
    expect(f.message).toContain('ranges whose union is 0:5');
  });
});

describe('BATCH-JD-018 overlap', () => {
  test('disjoint and nested ranges pass', () => {
    expect(
      run(
        'BATCH-JD-018',
        mnp([
          { targetNodes: '0:3', container: container() },
          { targetNodes: '1:2', container: container() },
        ]),
      ),
    ).toEqual([]);
  });
  test('partial overlap warns', () => {
    const [f] = run(
      'BATCH-JD-018',
      mnp([
        { targetNodes: '0:2', container: container() },
        { targetNodes: '1:3', container: container() },
      ]),
    );
    expect(f.severity).toBe('warning');
    expect(f.field).toBe('nodeProperties.nodeRangeProperties[1].targetNodes');
    expect(f.message).toContain('partly overlaps nodeRangeProperties[0] (0:2)');
  });
  test('a repeated range warns', () => {
    const [f] = run(
      'BATCH-JD-018',
      mnp([
        { targetNodes: '0:3', container: container() },
        { targetNodes: ':', container: container() },
      ]),
    );
    expect(f.message).toContain('repeats nodeRangeProperties[0]');
  });
});

describe('BATCH-JD-019 instance type', () => {
  test('one instance type passes', () => {
    expect(
      run(
        'BATCH-JD-019',
        mnp([
          { targetNodes: '0', container: container() },
          { targetNodes: '1:', container: container({ instanceType: undefined }) },
        ]),
      ),
    ).toEqual([]);
  });
  test('different instance types are rejected', () => {
    const [f] = run(
      'BATCH-JD-019',
      mnp([
        { targetNodes: '0', container: container() },
        { targetNodes: '1:', container: container({ instanceType: 'c5.xlarge' }) },
      ]),
    );
    expect(f.message).toContain('different instance types (p3.2xlarge, c5.xlarge)');
    expect(f.message).toContain('one instance type for every node group');
  });
  test('an unresolved instance type gives the note', () => {
    const [f] = run(
      'BATCH-JD-019',
      mnp([{ targetNodes: '0:', container: container({ instanceType: unresolvedString('Ref Type') }) }]),
    );
    expect(f.code).toBe('BATCH-UNRESOLVED');
  });
});

describe('BATCH-JD-004/005 on multi-node definitions', () => {
  test('a node without vCPUs in any covering range is rejected', () => {
    const jd = mnp([
      { targetNodes: '0', container: container() },
      { targetNodes: '1:', container: container({ resourceRequirements: [{ type: 'MEMORY', value: '1024' }] }) },
    ]);
    const [f] = run('BATCH-JD-004', jd);
    expect(f.message).toContain('node(s) 1-3 get no vCPU value');
    expect(run('BATCH-JD-005', jd)).toEqual([]);
  });
  test('a nested range may inherit from its outer range', () => {
    const jd = mnp([
      { targetNodes: '0:', container: container() },
      { targetNodes: '2', container: container({ resourceRequirements: undefined }) },
    ]);
    expect(run('BATCH-JD-004', jd)).toEqual([]);
    expect(run('BATCH-JD-005', jd)).toEqual([]);
  });
});
