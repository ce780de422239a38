import { LABELS, type ContainerSpec } from '../../../lib/local/runtime/container-runtime';
import { cgroupPermissions, containerName, hostRefusal, toCreateOptions } from '../../../lib/local/runtime/docker-spec';

const HOST = { cpus: 2, gpus: 0 };
const MIB = 1024 * 1024;

function base(extra: Partial<ContainerSpec> = {}): ContainerSpec {
  return {
    runId: 'run-1',
    jobId: 'abc:3',
    attempt: 2,
    image: 'ignored',
    environment: { A: '1', AWS_BATCH_JOB_ID: 'abc:3' },
    vcpus: 1.5,
    memoryMiB: 512,
    ...extra,
  };
}

describe('toCreateOptions', () => {
  test('maps vCPUs to shares and a quota, memory to a hard limit without swap, and labels the container', () => {
    const o = toCreateOptions(base({ command: ['echo', 'hi'] }), 'local/img:1', HOST);
    expect(o.Image).toBe('local/img:1');
    expect(o.Cmd).toEqual(['echo', 'hi']);
    expect(o.Env).toEqual(['A=1', 'AWS_BATCH_JOB_ID=abc:3']);
    expect(o.Tty).toBe(false);
    expect(o.HostConfig).toMatchObject({
      NetworkMode: 'none',
      CpuShares: 1536,
      NanoCpus: 1_500_000_000,
      Memory: 512 * MIB,
      MemorySwap: 512 * MIB,
      ReadonlyRootfs: false,
      Privileged: false,
    });
    expect(o.Labels).toEqual({
      [LABELS.managed]: 'true',
      [LABELS.runId]: 'run-1',
      [LABELS.jobId]: 'abc:3',
      [LABELS.attempt]: '2',
    });
    expect(o.HostConfig?.DeviceRequests).toBeUndefined();
  });

  test('caps the CPU quota at the engine CPU count but keeps shares proportional', () => {
    const o = toCreateOptions(base({ vcpus: 16 }), 'i', HOST);
    expect(o.HostConfig?.NanoCpus).toBe(2_000_000_000);
    expect(o.HostConfig?.CpuShares).toBe(16 * 1024);
  });

  test('a fractional vCPU (Fargate 0.25) gives a quarter CPU quota and the minimum of 256 shares', () => {
    const o = toCreateOptions(base({ vcpus: 0.25 }), 'i', HOST);
    expect(o.HostConfig?.NanoCpus).toBe(250_000_000);
    expect(o.HostConfig?.CpuShares).toBe(256);
  });

  test('maxSwap adds swap on top of memory; swappiness is passed through', () => {
    const o = toCreateOptions(base({ maxSwapMiB: 100, swappiness: 10 }), 'i', HOST);
    expect(o.HostConfig?.MemorySwap).toBe(612 * MIB);
    expect(o.HostConfig?.MemorySwappiness).toBe(10);
  });

  test('maps linux parameters, user, mounts, host network and GPUs', () => {
    const o = toCreateOptions(
      base({
        user: '1000:1000',
        readonlyRootFilesystem: true,
        privileged: true,
        ulimits: [{ name: 'nofile', soft: 1024, hard: 2048 }],
        devices: [{ hostPath: '/dev/fuse', permissions: 'READ,WRITE' }],
        tmpfs: { '/scratch': 'size=64m,noexec' },
        sharedMemoryMiB: 128,
        init: true,
        mounts: [{ hostPath: '/data', containerPath: '/in', readOnly: true }, { containerPath: '/cache' }],
        network: 'host',
        gpus: 2,
        labels: { [LABELS.jobId]: 'spoofed', team: 'x' },
      }),
      'i',
      HOST,
    );
    expect(o.User).toBe('1000:1000');
    expect(o.HostConfig).toMatchObject({
      ReadonlyRootfs: true,
      Privileged: true,
      Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
      Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rw' }],
      Tmpfs: { '/scratch': 'size=64m,noexec' },
      ShmSize: 128 * MIB,
      Init: true,
      Mounts: [
        { Type: 'bind', Source: '/data', Target: '/in', ReadOnly: true },
        { Type: 'volume', Source: '', Target: '/cache', ReadOnly: false },
      ],
      NetworkMode: 'host',
      DeviceRequests: [{ Driver: 'nvidia', Count: 2, Capabilities: [['gpu']] }],
    });
    // The spec's labels cannot override batchkit's own.
    expect(o.Labels).toMatchObject({ [LABELS.jobId]: 'abc:3', team: 'x' });
  });

  test('an empty command keeps the image default', () => {
    expect(toCreateOptions(base({ command: [] }), 'i', HOST).Cmd).toBeUndefined();
  });
});

describe('toCreateOptions for a container of a multi-container job', () => {
  test(
    "joins another container's network namespace, mounts the attempt's " +
      'named volume, sets the entrypoint and names the member',
    () => {
      const o = toCreateOptions(
        base({
          member: 'side_car',
          network: 'container:0123abcd',
          entrypoint: ['sh', '-c'],
          command: ['echo hi'],
          mounts: [{ volumeName: 'batchkit-abc_3-a2-work', containerPath: '/work', readOnly: true }],
        }),
        'local/img:1',
        HOST,
      );
      expect([o.Entrypoint, o.Cmd, o.HostConfig?.NetworkMode]).toEqual([
        ['sh', '-c'],
        ['echo hi'],
        'container:0123abcd',
      ]);
      expect(o.HostConfig?.Mounts).toEqual([
        {
          Type: 'volume',
          Source: 'batchkit-abc_3-a2-work',
          Target: '/work',
          ReadOnly: true,
          VolumeOptions: {
            NoCopy: false,
            Labels: { [LABELS.managed]: 'true', [LABELS.jobId]: 'abc:3' },
            DriverConfig: { Name: 'local', Options: {} },
          },
        },
      ]);
      expect(o.Labels?.[LABELS.member]).toBe('side_car');
      expect(o.name).toBe('batchkit-abc_3-a2-side_car-run-1');
      expect(containerName(base())).toBe('batchkit-abc_3-a2-run-1');
    },
  );
});

describe('cgroupPermissions', () => {
  test.each([
    [undefined, 'rwm'],
    ['READ', 'r'],
    ['MKNOD,READ', 'rm'],
    ['read write mknod', 'rwm'],
    ['rw', 'rw'],
  ])('%p -> %p', (input, expected) => {
    expect(cgroupPermissions(input)).toBe(expected);
  });

  test('an unknown permission names the allowed values', () => {
    expect(() => cgroupPermissions('EXECUTE')).toThrow(/"EXECUTE" is not one of READ, WRITE, MKNOD/);
  });
});

describe('containerName and hostRefusal', () => {
  test('names are valid for the engine and carry job id and attempt', () => {
    expect(containerName(base())).toBe('batchkit-abc_3-a2-run-1');
    expect(containerName(base({ jobId: 'u#0', runId: 'r'.repeat(40) }))).toBe(`batchkit-u_0-a2-${'r'.repeat(12)}`);
  });

  test('a GPU job on a host without GPUs is refused with a reason', () => {
    expect(hostRefusal(base({ gpus: 1 }), HOST)).toMatch(/reserves 1 GPU\(s\) but this Docker host has 0/);
    expect(hostRefusal(base({ gpus: 1 }), { cpus: 2, gpus: 1 })).toBeUndefined();
    expect(hostRefusal(base(), HOST)).toBeUndefined();
  });
});
