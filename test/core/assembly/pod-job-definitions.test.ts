/**
 * The loader reads `EcsProperties` and `EksProperties` job definitions into the typed model; `validate`'s rules
 * check them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadBatchModel } from '../../../lib/core/assembly';
import { validateModel } from '../../../lib/core/rules';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'batchkit-pods-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const template = {
  Resources: {
    Sidecar: {
      Type: 'AWS::Batch::JobDefinition',
      Properties: {
        JobDefinitionName: 'sidecar',
        Type: 'container',
        EcsProperties: {
          TaskProperties: [
            {
              Containers: [
                {
                  Name: 'setup',
                  Image: 'busybox',
                  Essential: 'false',
                  Command: ['true'],
                  ResourceRequirements: [
                    { Type: 'VCPU', Value: 1 },
                    { Type: 'MEMORY', Value: '64' },
                  ],
                },
                {
                  Name: 'main',
                  Image: 'busybox',
                  Essential: true,
                  DependsOn: [{ ContainerName: 'setup', Condition: 'SUCCESS' }],
                  MountPoints: [{ SourceVolume: 'shared', ContainerPath: '/data' }],
                },
              ],
              Volumes: [{ Name: 'shared' }],
            },
          ],
        },
      },
    },
    Pod: {
      Type: 'AWS::Batch::JobDefinition',
      Properties: {
        JobDefinitionName: 'pod',
        Type: 'container',
        EksProperties: {
          PodProperties: {
            HostNetwork: 'true',
            ServiceAccountName: 'jobs',
            InitContainers: [{ Name: 'fetch', Image: 'busybox', VolumeMounts: [{ Name: 'work', MountPath: '/work' }] }],
            Containers: [
              {
                Name: 'main',
                Image: 'busybox',
                Resources: { Limits: { cpu: 1, memory: '256Mi', 'nvidia.com/gpu': '1' } },
                VolumeMounts: [{ Name: 'work', MountPath: '/work', ReadOnly: 'true' }],
              },
            ],
            Volumes: [
              { Name: 'work', EmptyDir: { Medium: 'Memory' } },
              { Name: 'host', HostPath: { Path: '/tmp' } },
              { Name: 'creds', Secret: { SecretName: 'db', Optional: true } },
            ],
            Metadata: { Labels: { App: 'x' } },
          },
        },
      },
    },
  },
};

test('EcsProperties and EksProperties load in the API shapes with typed values, and pass the rules', () => {
  const file = path.join(dir, 'template.json');
  writeFileSync(file, JSON.stringify(template));
  const model = loadBatchModel(file);
  const [sidecar, pod] = model.jobDefinitions;
  expect(
    sidecar.ecsProperties?.taskProperties[0].containers.map((c) => [
      c.name,
      c.essential,
      c.dependsOn,
      c.resourceRequirements,
    ]),
  ).toEqual([
    [
      'setup',
      false,
      undefined,
      [
        { type: 'VCPU', value: '1' },
        { type: 'MEMORY', value: '64' },
      ],
    ],
    ['main', true, [{ containerName: 'setup', condition: 'SUCCESS' }], undefined],
  ]);
  expect([sidecar.containerOrchestrationType, pod.containerOrchestrationType]).toEqual(['ECS', 'EKS']);
  const p = pod.eksProperties?.podProperties;
  expect([p?.hostNetwork, p?.serviceAccountName, p?.initContainers?.[0].name]).toEqual([true, 'jobs', 'fetch']);
  expect(p?.containers?.[0].resources).toEqual({ limits: { cpu: '1', memory: '256Mi', 'nvidia.com/gpu': '1' } });
  expect(p?.containers?.[0].volumeMounts).toEqual([{ name: 'work', mountPath: '/work', readOnly: true }]);
  expect(p?.volumes).toEqual([
    { name: 'work', emptyDir: { medium: 'Memory' } },
    { name: 'host', hostPath: { path: '/tmp' } },
    { name: 'creds', secret: { secretName: 'db', optional: true } },
  ]);
  expect(p?.metadata).toEqual({ labels: { App: 'x' } });
  expect(model.notes.filter((n) => /ecsProperties|eksProperties/.test(JSON.stringify(n)))).toEqual([]);
  expect(validateModel(model).filter((f) => f.severity === 'error')).toEqual([]);
});
