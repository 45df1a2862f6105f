import { JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HealthProbe, Policy, PolicyPack, Prerequisite, SecureStatefulSet, SecureStatefulSetProps } from '../../../src';
import { only, podSpec, schemaFindings, synth, testChart } from '../../support/helpers';

const ALL_PACKS = { packs: [...PolicyPack.defaults(), PolicyPack.BASELINE] };

function statefulSet(props: Partial<SecureStatefulSetProps> = {}) {
  const { app, chart } = testChart();
  const workload = new SecureStatefulSet(chart, 'queue', {
    image: 'ghcr.io/acme/queue:3.13.1',
    port: 5672,
    portName: 'amqp',
    storage: { size: Size.gibibytes(5), mountPath: '/var/lib/queue' },
    ...props,
  });
  return { app, chart, workload, manifests: synth(chart) };
}

describe('SecureStatefulSet', () => {
  // GIVEN a StatefulSet with its defaults, WHEN synthesized
  const { app, manifests } = statefulSet();
  const sts = only(manifests, 'StatefulSet');

  test('the objects of a hardened workload, with a headless Service (snapshot)', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ServiceAccount/queue', 'StatefulSet/queue', 'Service/queue', 'PodDisruptionBudget/queue', 'NetworkPolicy/queue',
    ]);
    expect(manifests).toMatchSnapshot();
  });

  test('one replica, ordered, updated one pod at a time, and its claims retained', () => {
    expect(sts.spec).toMatchObject({
      replicas: 1,
      serviceName: 'queue',
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
  });

  test('a claim template with the size and ReadWriteOnce, mounted where asked, labelled to be found', () => {
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data', labels: sts.spec.selector.matchLabels },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
    }]);
    expect(podSpec(sts).containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/queue' });
  });

  test('fsGroup ownership changes only on a root mismatch (no recursive chown on every start)', () => {
    expect(podSpec(sts).securityContext).toMatchObject({ fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch' });
  });

  test('the Service is headless and selects the pods; the network identity is the StatefulSet\'s serviceName', () => {
    const service = only(manifests, 'Service');
    expect(service.spec).toEqual({
      clusterIP: 'None', selector: sts.spec.selector.matchLabels, ports: [{ name: 'amqp', port: 5672, targetPort: 'amqp', protocol: 'TCP' }],
    });
  });

  test('schema-valid with zero findings in every pack', () => {
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
  });

  test('a StorageClass is a prerequisite the report lists, and the claim names it', () => {
    // GIVEN the cluster's class declared
    const { app: withClass, chart } = testChart();
    new SecureStatefulSet(chart, 'queue', {
      image: 'ghcr.io/acme/queue:3.13.1',
      port: 5672,
      storage: { size: Size.mebibytes(1536), mountPath: '/data', storageClass: Prerequisite.storageClass(chart, 'fast-ssd'), accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD },
    });
    // THEN the claim asks for it, and nothing is unresolved
    const claim = only(synth(chart), 'StatefulSet').spec.volumeClaimTemplates[0];
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOncePod'], storageClassName: 'fast-ssd', resources: { requests: { storage: '1536Mi' } } });
    const report = Policy.report(withClass);
    expect(report.findings).toEqual([]);
    expect(report.prerequisites).toContain('StorageClass fast-ssd');
  });

  test('a StorageClass named nowhere is K8S-REFERENCES-RESOLVE\'s finding', () => {
    // GIVEN a StatefulSet whose claim names a class the app neither defines nor declares (a raw override)
    const { app: raw, workload } = statefulSet();
    workload.statefulSet.addJsonPatch(JsonPatch.add('/spec/volumeClaimTemplates/0/spec/storageClassName', 'gold'));
    // THEN the report says so
    expect(Policy.report(raw).findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['K8S-REFERENCES-RESOLVE', 'names what the app neither defines nor declares: /spec/volumeClaimTemplates/0/spec/storageClassName: StorageClass gold'],
    ]);
  });
});

describe('secretFiles and sharedMemory (every workload)', () => {
  test('each Secret read-only with mode 0440 and the keys asked for; /dev/shm in memory with a size limit', () => {
    // GIVEN a workload with a TLS Secret's files and shared memory
    const { chart } = testChart();
    const tls = kplus.Secret.fromSecretName(chart, 'tls', 'queue-tls');
    new SecureStatefulSet(chart, 'queue', {
      image: 'ghcr.io/acme/queue:3.13.1',
      port: 5672,
      readiness: HealthProbe.tcp(),
      storage: { size: Size.gibibytes(1), mountPath: '/data' },
      secretFiles: [{ secret: tls, mountPath: '/etc/tls', keys: ['tls.crt', 'tls.key'] }],
      sharedMemory: Size.mebibytes(128),
    });
    // WHEN synthesized
    const spec = podSpec(only(synth(chart), 'StatefulSet'));
    // THEN the volumes and mounts say so
    expect(spec.volumes).toEqual(expect.arrayContaining([
      { name: 'secret-files-0', secret: { secretName: 'queue-tls', defaultMode: 0o440, items: [{ key: 'tls.crt', path: 'tls.crt' }, { key: 'tls.key', path: 'tls.key' }] } },
      { name: 'shared-memory', emptyDir: { medium: 'Memory', sizeLimit: '128Mi' } },
    ]));
    expect(spec.containers[0].volumeMounts).toEqual(expect.arrayContaining([
      { name: 'secret-files-0', mountPath: '/etc/tls', readOnly: true },
      { name: 'shared-memory', mountPath: '/dev/shm' },
    ]));
  });
});
