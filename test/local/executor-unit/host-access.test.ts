/**
 * Host access of job containers on a developer's machine: host volumes only inside the project
 * directory, the OS temporary directory and `--allow-host-path` paths (after `..` and symbolic
 * links), the Docker socket and `/` only when named explicitly, devices only with `--allow-devices`,
 * warnings for privileged containers and the Docker socket; missing paths are created.
 */
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedJobDefinition } from '../../../lib/core/model/job-definition';
import { HOST_ACCESS_ERROR, HostAccess, resolveHostPath } from '../../../lib/local/host-access';

let scratch: string;
let project: string;
beforeAll(() => {
  scratch = realpathSync(mkdtempSync(join(tmpdir(), 'batchkit-host-')));
  project = '/srv/batchkit-project-that-does-not-exist';
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function def(
  sourcePath: string,
  extra: Partial<NonNullable<LoadedJobDefinition['containerProperties']>> = {},
): LoadedJobDefinition {
  return {
    jobDefinitionName: 'reader',
    type: 'container',
    revision: 3,
    containerProperties: {
      image: 'i',
      volumes: [{ name: 'data', host: { sourcePath } }],
      mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }],
      ...extra,
    },
  };
}

function refusal(access: HostAccess, jd: LoadedJobDefinition): { code?: string; kind?: string; message: string } {
  try {
    access.check(jd);
  } catch (e) {
    return e as { code: string; kind: string; message: string };
  }
  throw new Error('not refused');
}

test('a host path outside the allowed set is refused naming the definition, volume, path, rule and fix', () => {
  const access = new HostAccess({ projectDir: project });
  const e = refusal(access, def('/etc'));
  expect([e.code, e.kind]).toEqual([HOST_ACCESS_ERROR, 'input']);
  expect(e.message).toBe(
    `job definition "reader" (revision 3) containerProperties.volumes[0] ` +
      `("data") mounts host path /etc, outside the host paths job containers may use: ` +
      `${project} (project directory), ${realpathSync(tmpdir())} (temporary ` +
      `directory). Rule: on this machine a host volume reaches your own files, so only these paths are allowed. ` +
      `Fix: mount a directory inside ${project} (project directory), ` +
      `${realpathSync(tmpdir())} (temporary directory), or allow this one ` +
      `explicitly with --allow-host-path /etc (in code: hostAccess.allowHostPaths).`,
  );
});

test.each([
  ['the temporary directory', () => join(scratch, 'out')],
  ['a missing path under the temporary directory', () => join(scratch, 'a', 'b', 'c')],
  ['the project directory itself', () => project],
  ['a path below the project directory', () => `${project}/data`],
])('%s is allowed', (_name, p) => {
  expect(new HostAccess({ projectDir: project }).check(def(p()))).toEqual([]);
});

test('".." and symbolic links are resolved before the check', () => {
  const access = new HostAccess({ projectDir: project });
  symlinkSync('/etc', join(scratch, 'innocent'));
  expect(resolveHostPath(join(scratch, 'innocent', 'passwd'))).toBe('/etc/passwd');
  expect(refusal(access, def(join(scratch, 'innocent'))).message).toContain(
    `mounts host path ${join(scratch, 'innocent')} (/etc once symbolic links are followed), outside`,
  );
  expect(refusal(access, def(`${scratch}/../../etc`)).message).toContain(
    `mounts host path ${scratch}/../../etc, outside`,
  );
  expect(refusal(access, def(`${project}/../../home`)).message).toContain('outside the host paths');
});

test('/ is never allowed by default, even when batchkit runs in /', () => {
  const access = new HostAccess({ projectDir: '/' });
  expect(access.allowed.map((a) => a.source)).toEqual(['temporary directory']);
  expect(refusal(access, def('/')).message).toContain('mounts host path /, outside');
  expect(new HostAccess({ projectDir: project, allowHostPaths: ['/'] }).check(def('/'))).toEqual([]);
});

test('--allow-host-path allows a path and what is below it; a relative sourcePath is refused', () => {
  const access = new HostAccess({ projectDir: project, allowHostPaths: ['/etc'] });
  expect(access.check(def('/etc/ssl'))).toEqual([]);
  expect(refusal(access, def('etc')).message).toContain('mounts host path etc, which is not an absolute path');
});

test('the Docker socket needs an explicit --allow-host-path, and is then warned about', () => {
  expect(refusal(new HostAccess({ projectDir: project }), def('/var/run/docker.sock')).message).toContain(
    'outside the host paths',
  );
  // Even inside an allowed default (a project in /run), the socket must be named explicitly.
  expect(refusal(new HostAccess({ projectDir: '/run' }), def('/run/docker.sock')).message).toContain(
    'mounts host path /run/docker.sock, the Docker socket. Rule: the Docker ' +
      'socket lets a container control the engine as root, so it must be allowed explicitly.',
  );
  const allowed = new HostAccess({ projectDir: project, allowHostPaths: ['/var/run/docker.sock'] });
  expect(allowed.check(def('/var/run/docker.sock'))).toEqual([
    'job definition "reader" (revision 3) containerProperties.volumes[0] ' +
      '("data") mounts the Docker socket /var/run/docker.sock: its containers ' +
      'can start containers as root on this machine.',
  ]);
});

test('privileged is warned about; devices need --allow-devices', () => {
  const access = new HostAccess({ projectDir: project });
  expect(access.check(def(scratch, { privileged: true }))).toEqual([
    'job definition "reader" (revision 3) containerProperties.privileged is ' +
      'true: its containers run with every capability and all host devices of this machine.',
  ]);
  const withDevice = def(scratch, { linuxParameters: { devices: [{ hostPath: '/dev/sda', permissions: ['READ'] }] } });
  const e = refusal(access, withDevice);
  expect(e.code).toBe(HOST_ACCESS_ERROR);
  expect(e.message).toContain('containerProperties.linuxParameters.devices passes host device(s) /dev/sda');
  expect(e.message).toContain('Fix: pass --allow-devices');
  expect(new HostAccess({ projectDir: project, allowDevices: true }).check(withDevice)).toEqual([]);
});

test('multi-node definitions are checked node range by node range', () => {
  const jd: LoadedJobDefinition = {
    jobDefinitionName: 'mnp',
    type: 'multinode',
    nodeProperties: {
      numNodes: 2,
      mainNode: 0,
      nodeRangeProperties: [
        { targetNodes: '0', container: { image: 'i' } },
        { targetNodes: '1', container: { image: 'i', volumes: [{ name: 'root', host: { sourcePath: '/root' } }] } },
      ],
    },
  };
  expect(refusal(new HostAccess({ projectDir: project }), jd).message).toContain(
    'job definition "mnp" nodeProperties.nodeRangeProperties[1].container.volumes[0] ("root") ' +
      'mounts host path /root, outside',
  );
});

test('prepareMount creates a missing allowed path (mkdir -p) and refuses one outside', () => {
  const access = new HostAccess({ projectDir: project });
  const deep = join(scratch, 'made', 'by', 'batchkit');
  access.prepareMount(deep);
  expect(statSync(deep).isDirectory()).toBe(true);
  mkdirSync(join(scratch, 'exists'));
  access.prepareMount(join(scratch, 'exists'));
  expect(() => access.prepareMount('/opt/batchkit-should-not-exist/x')).toThrow(/outside the host paths/);
  expect(existsSync('/opt/batchkit-should-not-exist')).toBe(false);
});
