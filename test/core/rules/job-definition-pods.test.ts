/** BATCH-JD-002/032/033: multi-container ECS job definitions and EKS pods, compliant and not. */
import { emptyBatchModel } from '../../../lib/core/model/batch-model';
import type { LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import type { EksPodProperties, EcsTaskProperties } from '../../../lib/core/model/job-definition-pods';
import { validateModel } from '../../../lib/core/rules';

function ecs(task: Partial<EcsTaskProperties> = {}): LoadedJobDefinition {
  return {
    jobDefinitionName: 'with-sidecar',
    type: 'container',
    ecsProperties: {
      taskProperties: [
        {
          containers: [
            {
              name: 'setup',
              image: 'busybox',
              essential: false,
              command: ['true'],
              resourceRequirements: [
                { type: 'VCPU', value: '0.5' },
                { type: 'MEMORY', value: '64' },
              ],
            },
            {
              name: 'main',
              image: 'busybox',
              dependsOn: [{ containerName: 'setup', condition: 'SUCCESS' }],
              mountPoints: [{ sourceVolume: 'shared', containerPath: '/data' }],
              resourceRequirements: [
                { type: 'VCPU', value: '1' },
                { type: 'MEMORY', value: '128' },
              ],
            },
          ],
          volumes: [{ name: 'shared' }],
          ...task,
        },
      ],
    },
    source: { stack: 'App', logicalId: 'Sidecar' },
  };
}

function eks(pod: Partial<EksPodProperties> = {}, top: Partial<LoadedJobDefinition> = {}): LoadedJobDefinition {
  return {
    jobDefinitionName: 'pod',
    type: 'container',
    eksProperties: {
      podProperties: {
        hostNetwork: true,
        serviceAccountName: 'batch-jobs',
        initContainers: [
          {
            name: 'fetch',
            image: 'busybox',
            command: ['sh', '-c', 'echo hi > /work/in'],
            volumeMounts: [{ name: 'work', mountPath: '/work' }],
          },
        ],
        containers: [
          {
            name: 'main',
            image: 'busybox',
            resources: { limits: { cpu: '1', memory: '256Mi' } },
            volumeMounts: [{ name: 'work', mountPath: '/work' }],
          },
        ],
        volumes: [{ name: 'work', emptyDir: {} }],
        ...pod,
      },
    },
    source: { stack: 'App', logicalId: 'Pod' },
    ...top,
  };
}

const errors = (jd: LoadedJobDefinition) =>
  validateModel({ ...emptyBatchModel(), jobDefinitions: [jd] })
    .filter((f) => f.severity === 'error' && f.resource.kind === 'JobDefinition')
    .map((f) => `${f.code} ${f.field}: ${f.message}`);

test('a valid ECS task of two containers and a valid EKS pod have no errors', () => {
  expect(errors(ecs())).toEqual([]);
  expect(errors(eks())).toEqual([]);
});

test('BATCH-JD-002: type container needs exactly one of containerProperties, ecsProperties, eksProperties', () => {
  const none: LoadedJobDefinition = { jobDefinitionName: 'x', type: 'container' };
  expect(errors(none).join('\n')).toMatch(
    new RegExp(
      String.raw`BATCH-JD-002 containerProperties: .*no containerProperties, ` +
        String.raw`ecsProperties or eksProperties`,
    ),
  );
  const both = { ...ecs(), eksProperties: eks().eksProperties };
  expect(errors(both).join('\n')).toMatch(
    new RegExp(
      String.raw`BATCH-JD-002 eksProperties: .*has ecsProperties and eksPrope` +
        String.raw`rties; it can have only one of them`,
    ),
  );
  expect(
    errors({
      ...ecs(),
      type: 'multinode',
      nodeProperties: {
        numNodes: 1,
        mainNode: 0,
        nodeRangeProperties: [{ targetNodes: '0', container: { image: 'busybox', vcpus: 1, memory: 64 } }],
      },
    }).join('\n'),
  ).toMatch(/BATCH-JD-002 ecsProperties: .*type multinode has top-level ecsProperties or eksProperties/);
});

test.each([
  [
    'two tasks',
    () => ({
      ...ecs(),
      ecsProperties: {
        taskProperties: [...ecs().ecsProperties!.taskProperties, ...ecs().ecsProperties!.taskProperties],
      },
    }),
    /ecsProperties.taskProperties: .*has 2 tasks/,
  ],
  [
    'eleven containers',
    () =>
      ecs({
        containers: Array.from({ length: 11 }, (_, i) => ({
          name: `c${i}`,
          image: 'busybox',
          resourceRequirements: [
            { type: 'VCPU' as const, value: '1' },
            { type: 'MEMORY' as const, value: '64' },
          ],
        })),
      }),
    /containers: .*has 11 containers/,
  ],
  [
    'an unnamed container among several',
    () =>
      ecs({
        containers: [
          {
            image: 'a',
            resourceRequirements: [
              { type: 'VCPU' as const, value: '1' },
              { type: 'MEMORY' as const, value: '64' },
            ],
          },
          { name: 'b', image: 'b' },
        ],
      }),
    /containers\[0\]\.name: .*has no name/,
  ],
  [
    'a dependency on a missing container',
    () =>
      ecs({
        containers: [
          {
            name: 'main',
            image: 'a',
            dependsOn: [{ containerName: 'ghost', condition: 'START' }],
            resourceRequirements: [
              { type: 'VCPU' as const, value: '1' },
              { type: 'MEMORY' as const, value: '64' },
            ],
          },
        ],
      }),
    /dependsOn\[0\]\.containerName: .*is not in the task/,
  ],
  [
    'SUCCESS on an essential container',
    () =>
      ecs({
        containers: [
          {
            name: 'a',
            image: 'a',
            resourceRequirements: [
              { type: 'VCPU' as const, value: '1' },
              { type: 'MEMORY' as const, value: '64' },
            ],
          },
          { name: 'b', image: 'b', dependsOn: [{ containerName: 'a', condition: 'SUCCESS' }] },
        ],
      }),
    /SUCCESS is set on essential container a/,
  ],
  [
    'no essential container',
    () =>
      ecs({
        containers: [
          {
            name: 'a',
            image: 'a',
            essential: false,
            resourceRequirements: [
              { type: 'VCPU' as const, value: '1' },
              { type: 'MEMORY' as const, value: '64' },
            ],
          },
        ],
      }),
    /no container of the task is essential/,
  ],
  [
    'a cycle',
    () =>
      ecs({
        containers: [
          {
            name: 'a',
            image: 'a',
            essential: false,
            dependsOn: [{ containerName: 'b', condition: 'START' }],
            resourceRequirements: [
              { type: 'VCPU' as const, value: '1' },
              { type: 'MEMORY' as const, value: '64' },
            ],
          },
          { name: 'b', image: 'b', dependsOn: [{ containerName: 'a', condition: 'START' }] },
        ],
      }),
    /wait for each other in a cycle: a -> b -> a/,
  ],
  ['an undeclared volume', () => ecs({ volumes: [] }), /mountPoints\[0\]\.sourceVolume: .*does not declare/],
  [
    'an unknown condition',
    () =>
      ecs({
        containers: [
          {
            name: 'a',
            image: 'a',
            essential: false,
            resourceRequirements: [
              { type: 'VCPU' as const, value: '1' },
              { type: 'MEMORY' as const, value: '64' },
            ],
          },
          { name: 'b', image: 'b', dependsOn: [{ containerName: 'a', condition: 'DONE' as never }] },
        ],
      }),
    /condition: .*not known/,
  ],
  [
    'no MEMORY reserved',
    () =>
      ecs({ containers: [{ name: 'a', image: 'a', resourceRequirements: [{ type: 'VCPU' as const, value: '1' }] }] }),
    /no container of the task reserves MEMORY/,
  ],
])('BATCH-JD-033 refuses %s', (_what, make, message) => {
  const found = errors(make());
  expect(found.some((f) => f.startsWith('BATCH-JD-033'))).toBe(true);
  expect(found.join('\n')).toMatch(message);
});

test.each([
  ['no containers', () => eks({ containers: [] }), /has 0 containers/],
  [
    'a container name that is not a DNS label',
    () => eks({ containers: [{ name: 'Main_1', image: 'busybox' }] }),
    /containers\[0\]\.name: .*not a DNS label/,
  ],
  [
    'an init container named like a container',
    () => eks({ initContainers: [{ name: 'main', image: 'busybox' }] }),
    /have the same name/,
  ],
  [
    'a volume of two types',
    () => eks({ volumes: [{ name: 'work', emptyDir: {}, hostPath: { path: '/tmp' } }] }),
    /volumes\[0\]: .*has emptyDir and hostPath/,
  ],
  ['a mount of an undeclared volume', () => eks({ volumes: [] }), /volumeMounts\[0\]\.name: .*does not declare/],
  [
    'an unknown resource',
    () => eks({ containers: [{ name: 'main', image: 'busybox', resources: { limits: { 'example.com/fpga': '1' } } }] }),
    /"example.com\/fpga" is not one Batch schedules/,
  ],
  [
    'different memory limits and requests',
    () =>
      eks({
        containers: [
          { name: 'main', image: 'busybox', resources: { limits: { memory: '1Gi' }, requests: { memory: '512Mi' } } },
        ],
      }),
    /limits and requests of memory differ/,
  ],
  [
    'a reserved variable',
    () => eks({ containers: [{ name: 'main', image: 'busybox', env: [{ name: 'AWS_BATCH_X', value: '1' }] }] }),
    /AWS_BATCH are reserved/,
  ],
  [
    'an unknown emptyDir medium',
    () => eks({ volumes: [{ name: 'work', emptyDir: { medium: 'Disk' } }] }),
    /emptyDir medium is not known/,
  ],
  ['Fargate', () => eks({}, { platformCapabilities: ['FARGATE'] }), /EKS jobs do not run on Fargate/],
])('BATCH-JD-034 refuses %s', (_what, make, message) => {
  const found = errors(make());
  expect(found.some((f) => f.startsWith('BATCH-JD-034'))).toBe(true);
  expect(found.join('\n')).toMatch(message);
});
