// Hostile input to SecureStatefulSet and to the props every hardened workload shares for files and shared memory
// (secretFiles, sharedMemory): each refusal names the construct path, the prop or value, and the fix.
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Prerequisite, SecureDeployment, SecureStatefulSet, SecureStatefulSetProps } from '../../../src';
import { errorOf, only, podSpec, synth, testChart } from '../../support/helpers';

const IMAGE = 'ghcr.io/acme/kv:2.1.0';
const PATH = /^SecureStatefulSet shop\/kv: /;
const STORAGE = { size: Size.gibibytes(5), mountPath: '/data' };

interface Refs {
  readonly secret: kplus.ISecret;
  readonly configMap: kplus.IConfigMap;
}

/** A SecureStatefulSet `kv`; props may be a function of a Secret and a ConfigMap of the chart. */
function build(props: Partial<SecureStatefulSetProps> | { [key: string]: unknown } | ((refs: Refs) => { [key: string]: unknown }) = {}) {
  const { chart } = testChart();
  const refs = { secret: kplus.Secret.fromSecretName(chart, 'tls', 'kv-tls'), configMap: kplus.ConfigMap.fromConfigMapName(chart, 'config', 'kv-config') };
  const given = typeof props === 'function' ? props(refs) : props;
  const kv = new SecureStatefulSet(chart, 'kv', { image: IMAGE, port: 6379, storage: STORAGE, ...given } as SecureStatefulSetProps);
  return { chart, kv };
}

function message(body: () => unknown): string {
  const error = errorOf(body);
  expect(error).not.toBeInstanceOf(TypeError);
  return error.message;
}

describe('SecureStatefulSet needs storage', () => {
  test.each<[string, unknown, RegExp, RegExp]>([
    ['missing', undefined, /storage is missing/, /pass storage: \{ size: Size.gibibytes\(10\), mountPath: '\/var\/lib\/app' \}/],
    ['null', null, /storage is null, not an object/, /pass storage as an object/],
    ['a size alone', Size.gibibytes(1), /unknown key in storage/, /remove it, or use one of "size", "mountPath"/],
    ['without a size', { mountPath: '/data' }, /storage.size is missing, and a claim without a size cannot be provisioned/, /pass storage.size/],
    ['without a mountPath', { size: Size.gibibytes(1) }, /storage.mountPath is missing, not a string/, /set storage.mountPath to a string/],
    ['size zero', { size: Size.gibibytes(0), mountPath: '/data' }, /storage.size is zero/, /pass a size above zero/],
    ['size as a string', { size: '5Gi', mountPath: '/data' }, /storage.size is not a Size/, /Size.gibibytes\(1\)/],
    ['an access mode that is none', { ...STORAGE, accessMode: 'ReadWriteAll' }, /storage.accessMode "ReadWriteAll" is not an access mode/, /PersistentVolumeAccessMode/],
    ['a StorageClass by name', { ...STORAGE, storageClass: 'gp3' }, /storage.storageClass is a string, not a StorageClass prerequisite/, /Prerequisite.storageClass\(scope, name\)/],
    ['a claim name that is no DNS label', { ...STORAGE, name: 'Data' }, /storage.name "Data" is not a valid DNS-1123 label/, /use a name like "data"/],
  ])('storage %s is refused', (_, storage, problem, fix) => {
    // GIVEN / WHEN storage that could not be provisioned or mounted as meant
    const error = message(() => build({ storage }));
    // THEN refused with the path, the prop and the fix
    expect(error).toMatch(PATH);
    expect(error).toMatch(problem);
    expect(error).toMatch(fix);
  });

  test('a StorageClass prerequisite of another kind is refused', () => {
    const { chart } = testChart();
    const error = message(() => new SecureStatefulSet(chart, 'kv', {
      image: IMAGE, port: 6379, storage: { ...STORAGE, storageClass: Prerequisite.configMap(chart, 'gp3') },
    }));
    expect(error).toMatch(PATH);
    expect(error).toContain('storage.storageClass is a ConfigMap prerequisite, not a StorageClass; pass Prerequisite.storageClass(scope, name)');
  });
});

describe('SecureStatefulSet storage.name is the claim\'s volume and cannot shadow another volume', () => {
  test.each<[string, string, (refs: Refs) => { [key: string]: unknown }]>([
    ['the config volume', 'config', ({ configMap }) => ({ config: { configMap, mountPath: '/etc/kv' } })],
    ['the first secretFiles volume', 'secret-files-0', ({ secret }) => ({ secretFiles: [{ secret, mountPath: '/etc/kv/tls' }] })],
    ['the second secretFiles volume', 'secret-files-1', ({ secret }) => ({ secretFiles: [{ secret, mountPath: '/etc/a' }, { secret, mountPath: '/etc/b' }] })],
    ['the /tmp scratch volume', 'scratch-tmp', () => ({})],
    ['a writable path\'s volume', 'scratch-var-cache-kv', () => ({ writablePaths: ['/var/cache/kv'] })],
    ['the shared memory volume', 'shared-memory', () => ({ sharedMemory: Size.mebibytes(128) })],
  ])('storage.name of %s (%s) is refused', (_, name, props) => {
    // GIVEN a claim named like a volume the pod already has
    const error = message(() => build((refs) => ({ ...props(refs), storage: { ...STORAGE, name } })));
    // WHEN / THEN refused: two volumes of one name would make the API server refuse the pod template
    expect(error).toMatch(PATH);
    expect(error).toContain(`storage.name "${name}" is also the name of a volume of the pod; use another name (default data)`);
  });

  test('a secretFiles volume name is free when there are fewer secretFiles', () => {
    const { chart } = build({ storage: { ...STORAGE, name: 'secret-files-0' } });
    expect(only(synth(chart), 'StatefulSet').spec.volumeClaimTemplates[0].metadata.name).toBe('secret-files-0');
  });
});

describe('SecureStatefulSet storage.mountPath is a directory of its own', () => {
  test.each<[string, string, (refs: Refs) => { [key: string]: unknown }, string]>([
    ['/tmp, the scratch directory', '/tmp', () => ({}), 'scratch-tmp'],
    ['a writable path', '/var/cache/kv', () => ({ writablePaths: ['/var/cache/kv'] }), 'scratch-var-cache-kv'],
    ['a writable path with a trailing slash', '/var/cache/kv/', () => ({ writablePaths: ['/var/cache/kv'] }), 'scratch-var-cache-kv'],
    ['a secretFiles mountPath', '/etc/kv/tls', ({ secret }) => ({ secretFiles: [{ secret, mountPath: '/etc/kv/tls' }] }), 'secret-files-0'],
    ['the config mountPath', '/etc/kv', ({ configMap }) => ({ config: { configMap, mountPath: '/etc/kv' } }), 'config'],
    ['/dev/shm with sharedMemory', '/dev/shm', () => ({ sharedMemory: Size.mebibytes(128) }), 'shared-memory'],
  ])('on %s it is refused', (_, mountPath, props, other) => {
    // GIVEN the claim mounted where another volume is
    const error = message(() => build((refs) => ({ ...props(refs), storage: { ...STORAGE, mountPath } })));
    // WHEN / THEN refused, naming both volumes and the fix
    expect(error).toMatch(PATH);
    expect(error).toMatch(new RegExp(`two volumes are mounted on "${mountPath.replace(/\/$/, '')}" \\((${other} and data|data and ${other})\\)`));
    expect(error).toMatch(/give each mount its own path/);
  });

  test.each(['/data/../etc', '/..', '../data', 'data', '/', '', '/data:/etc', '/var/lib/./kv/..'])('mountPath %j is refused', (mountPath) => {
    const error = message(() => build({ storage: { ...STORAGE, mountPath } }));
    expect(error).toMatch(PATH);
    expect(error).toContain(`storage.mountPath ${JSON.stringify(mountPath)} is not an absolute directory below /`);
    expect(error).toMatch(/use a path such as "\/var\/cache\/app" \(no "\.\.", no ":"\)/);
  });

  test('mountPath from JavaScript as a number is refused', () => {
    expect(message(() => build({ storage: { size: Size.gibibytes(1), mountPath: 1 } }))).toMatch(/storage.mountPath is a number, not a string/);
  });
});

describe('SecureStatefulSet needs a port, and replicas within bounds', () => {
  test('without a port it is refused: the headless Service gives the pods their names', () => {
    const { chart } = testChart();
    const error = message(() => new SecureStatefulSet(chart, 'kv', { image: IMAGE, storage: STORAGE }));
    expect(error).toMatch(PATH);
    expect(error).toContain('a StatefulSet\'s pods get their network identity from its headless Service, and the workload has no port; set `port`');
  });

  test.each([0, 99999, -1, 8080.5])('port %d is refused', (port) => {
    const error = message(() => build({ port }));
    expect(error).toMatch(PATH);
    expect(error).toMatch(new RegExp(`port ${port}`));
  });

  test.each<[string, unknown]>([['0', 0], ['-1', -1], ['1.5', 1.5], ['"3" from JavaScript', '3'], ['beyond int32', 2 ** 31]])(
    'replicas %s is refused', (_, replicas) => {
      const error = message(() => build({ replicas }));
      expect(error).toMatch(PATH);
      expect(error).toMatch(/replicas .* is not a whole number from 1 to 2147483647; use 1, or more when the app replicates its data itself/);
    });

  test.each<[string, unknown]>([['-1', -1], ['1.5', 1.5], ['"5"', '5']])('revisionHistoryLimit %s is refused', (_, revisionHistoryLimit) => {
    const error = message(() => build({ revisionHistoryLimit }));
    expect(error).toMatch(PATH);
    expect(error).toMatch(/revisionHistoryLimit .* is not a whole number from 0 to 2147483647/);
  });

  test('replicas 3 is three pods, each with its own claim, retained', () => {
    const { chart } = build({ replicas: 3 });
    const statefulSet = only(synth(chart), 'StatefulSet');
    expect(statefulSet.spec.replicas).toBe(3);
    expect(statefulSet.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  test.each(['volumeClaimTemplates', 'podManagementPolicy', 'updateStrategy', 'securityContext', 'readOnlyRootFilesystem'])('the unknown prop %s is refused', (prop) => {
    const error = message(() => build({ [prop]: {} }));
    expect(error).toMatch(PATH);
    expect(error).toContain(`unknown prop "${prop}"`);
  });
});

describe('secretFiles: a Secret\'s keys as read-only files', () => {
  test.each<[string, (refs: Refs) => unknown, RegExp, RegExp]>([
    ['empty keys', ({ secret }) => [{ secret, mountPath: '/etc/kv/tls', keys: [] }], /secretFiles\[0\].keys is empty, which would mount no file/, /name the keys to mount, or leave keys out to mount them all/],
    ['a key with a path', ({ secret }) => [{ secret, mountPath: '/etc/kv/tls', keys: ['../tls.key'] }], /secretFiles\[0\].keys\[0\] "..\/tls.key" is not a valid key/, /use letters, digits, "-", "_" and "."/],
    ['an empty key', ({ secret }) => [{ secret, mountPath: '/etc/kv/tls', keys: ['tls.crt', ''] }], /secretFiles\[0\].keys\[1\] "" is not a valid key/, /use letters, digits/],
    ['a key that is no string', ({ secret }) => [{ secret, mountPath: '/etc/kv/tls', keys: [1] }], /secretFiles\[0\].keys\[0\] is a number, not a string/, /make every entry of secretFiles\[0\].keys a string/],
    ['keys as a string', ({ secret }) => [{ secret, mountPath: '/etc/kv/tls', keys: 'tls.crt' }], /secretFiles\[0\].keys is a string, not a list of strings/, /pass secretFiles\[0\].keys as a list/],
    ['a Secret name', () => [{ secret: 'kv-tls', mountPath: '/etc/kv/tls' }], /secretFiles\[0\].secret is a string, not a Secret/, /pass a Secret \(e.g. kplus.Secret.fromSecretName\(this, 'tls', 'web-tls'\) or Prerequisite.secret\(this, 'web-tls'\)\)/],
    ['a plain object', () => [{ secret: { 'tls.key': 'x' }, mountPath: '/etc/kv/tls' }], /secretFiles\[0\].secret is an object, not a Secret/, /pass a Secret/],
    ['no Secret', () => [{ mountPath: '/etc/kv/tls' }], /secretFiles\[0\].secret is missing, not a Secret/, /pass a Secret/],
    ['no mountPath', ({ secret }) => [{ secret }], /secretFiles\[0\].mountPath is missing, not a string/, /set secretFiles\[0\].mountPath to a string/],
    ['a mountPath with ..', ({ secret }) => [{ secret, mountPath: '/etc/../root' }], /secretFiles\[0\].mountPath "\/etc\/..\/root" is not an absolute directory below \//, /no "\.\."/],
    ['an unknown key (a mode)', ({ secret }) => [{ secret, mountPath: '/etc/kv/tls', defaultMode: 0o777 }], /unknown key in secretFiles\[0\] "defaultMode"/, /remove it, or use one of "secret", "mountPath", "keys"/],
    ['an object, not a list', ({ secret }) => ({ secret, mountPath: '/etc/kv/tls' }), /secretFiles is an object, not a list/, /pass secretFiles as a list/],
    ['a null entry', () => [null], /secretFiles\[0\] is null, not an object/, /pass secretFiles\[0\] as an object/],
  ])('%s is refused', (_, secretFiles, problem, fix) => {
    // GIVEN / WHEN secretFiles that would mount nothing, the wrong thing, or somewhere else
    const error = message(() => build((refs) => ({ secretFiles: secretFiles(refs) })));
    // THEN refused with the path, the entry and the fix
    expect(error).toMatch(PATH);
    expect(error).toMatch(problem);
    expect(error).toMatch(fix);
  });

  test.each<[string, string]>([['the same path', '/etc/kv/tls'], ['the same path with a trailing slash', '/etc/kv/tls/']])('two secretFiles on %s are refused', (_, second) => {
    // GIVEN two Secrets mounted on one directory (the second would hide the first)
    const error = message(() => build(({ secret }) => ({ secretFiles: [{ secret, mountPath: '/etc/kv/tls' }, { secret, mountPath: second }] })));
    // WHEN / THEN refused, naming both volumes
    expect(error).toMatch(PATH);
    expect(error).toContain('two volumes are mounted on "/etc/kv/tls" (secret-files-0 and secret-files-1); give each mount its own path');
  });

  test('secretFiles on /tmp (a writable path) is refused', () => {
    const error = message(() => build(({ secret }) => ({ secretFiles: [{ secret, mountPath: '/tmp' }] })));
    expect(error).toContain('two volumes are mounted on "/tmp" (scratch-tmp and secret-files-0)');
  });

  test('secretFiles are read-only, mode 0440, and project only the keys named', () => {
    // GIVEN two Secrets, one with keys named
    const { chart } = testChart();
    const tls = kplus.Secret.fromSecretName(chart, 'tls', 'kv-tls');
    const password = Prerequisite.secret(chart, 'kv-password') as unknown as kplus.ISecret;
    new SecureDeployment(chart, 'web', {
      image: IMAGE, port: 8080, secretFiles: [{ secret: tls, mountPath: '/etc/web/tls', keys: ['tls.crt', 'tls.key'] }, { secret: password, mountPath: '/etc/web/password' }],
    });
    // WHEN synthesized
    const spec = podSpec(only(synth(chart), 'Deployment'));
    // THEN each a Secret volume with mode 0440, items only when named, mounted read-only
    expect(spec.volumes.filter((v: any) => v.secret)).toEqual([
      { name: 'secret-files-0', secret: { secretName: 'kv-tls', defaultMode: 0o440, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] } },
      { name: 'secret-files-1', secret: { secretName: 'kv-password', defaultMode: 0o440 } },
    ]);
    expect(spec.containers[0].volumeMounts.filter((m: any) => m.name.startsWith('secret-files-')).every((m: any) => m.readOnly === true)).toBe(true);
  });
});

describe('sharedMemory: a memory-backed /dev/shm of a size', () => {
  test.each<[string, unknown, RegExp, RegExp]>([
    ['zero', Size.mebibytes(0), /sharedMemory is zero/, /pass a size above zero \(e.g. Size.mebibytes\(256\)\), or leave it out/],
    ['zero gibibytes', Size.gibibytes(0), /sharedMemory is zero/, /pass a size above zero/],
    ['a quantity string', '256Mi', /sharedMemory is not a Size/, /use Size.mebibytes\(256\) or Size.gibibytes\(1\)/],
    ['a number', 256, /sharedMemory is not a Size/, /use Size.mebibytes\(256\)/],
    ['null', null, /sharedMemory is not a Size/, /use Size.mebibytes\(256\)/],
  ])('sharedMemory %s is refused', (_, sharedMemory, problem, fix) => {
    // GIVEN / WHEN a size that is none, or no Size
    const error = message(() => build({ sharedMemory }));
    // THEN refused with the path, the prop and the fix
    expect(error).toMatch(PATH);
    expect(error).toMatch(problem);
    expect(error).toMatch(fix);
  });

  test.each([
    ['SecureStatefulSet', () => build({ sharedMemory: Size.mebibytes(0) }), /^SecureStatefulSet shop\/kv: sharedMemory is zero/],
    ['SecureDeployment', () => new SecureDeployment(testChart().chart, 'web', { image: IMAGE, port: 8080, sharedMemory: Size.mebibytes(0) }), /^SecureDeployment shop\/web: sharedMemory is zero/],
  ])('every workload refuses a zero sharedMemory (%s)', (_, body, problem) => {
    expect(message(body)).toMatch(problem);
  });

  test('a size mounts a memory emptyDir of that limit on /dev/shm, read-write', () => {
    const { chart } = build({ sharedMemory: Size.mebibytes(512) });
    const spec = podSpec(only(synth(chart), 'StatefulSet'));
    expect(spec.volumes).toContainEqual({ name: 'shared-memory', emptyDir: { medium: 'Memory', sizeLimit: '512Mi' } });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'shared-memory', mountPath: '/dev/shm' });
  });
});
