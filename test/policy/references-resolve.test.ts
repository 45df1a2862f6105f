import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { HealthProbe, Policy, PolicyPack, PolicyReport, Prerequisite, PriorityClass, SecureDeployment } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';
import { hardenedDeployment, mutated } from '../support/fixtures';
import { errorOf, only, schemaFindings, synth, testChart } from '../support/helpers';

const RULE = 'K8S-REFERENCES-RESOLVE';

function messagesOf(manifests: any[], prerequisites: any[] = []): string[] {
  const objects = manifests.map((m, i) => policyObject(m, `test/object${i}`));
  const declared = prerequisites.map((m, i) => policyObject(m, `test/prerequisite${i}`));
  return PolicyReport._evaluate(objects, [PolicyPack.CLUSTER_FIT], () => undefined, [], declared).findings
    .filter((f) => f.ruleId === RULE).map((f) => f.message);
}

const object = (kind: string, name: string, namespace: string | undefined = 'shop') => ({ apiVersion: 'v1', kind, metadata: { name, namespace } });

/** A Deployment in `shop` whose pod spec names one of everything. */
function referencing() {
  return mutated((pod, container) => {
    pod.priorityClassName = 'platform-high';
    pod.runtimeClassName = 'gvisor';
    pod.serviceAccountName = 'web';
    pod.imagePullSecrets = [{ name: 'registry' }];
    pod.volumes = [
      { name: 'config', configMap: { name: 'web-config' } },
      { name: 'tls', secret: { secretName: 'web-tls' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
      { name: 'bundle', projected: { sources: [{ configMap: { name: 'ca-bundle' } }, { secret: { name: 'signing' } }] } },
      { name: 'maybe', configMap: { name: 'maybe-there', optional: true } },
    ];
    container.env = [
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'modes', key: 'mode' } } },
      { name: 'FLAG', valueFrom: { configMapKeyRef: { name: 'flags', key: 'x', optional: true } } },
    ];
    container.envFrom = [{ secretRef: { name: 'api-keys' } }, { configMapRef: { name: 'defaults', optional: true } }];
  });
}

const EVERYTHING = [
  object('PriorityClass', 'platform-high', undefined), object('RuntimeClass', 'gvisor', undefined), object('ServiceAccount', 'web'),
  object('Secret', 'registry'), object('ConfigMap', 'web-config'), object('Secret', 'web-tls'), object('PersistentVolumeClaim', 'web-data'),
  object('ConfigMap', 'ca-bundle'), object('Secret', 'signing'), object('Secret', 'db'), object('ConfigMap', 'modes'), object('Secret', 'api-keys'),
];

describe('K8S-REFERENCES-RESOLVE', () => {
  test('a workload naming objects nobody defines: each field, kind and name in one finding', () => {
    const [message] = messagesOf([referencing()]);
    expect(message).toMatch(/^names what the app neither defines nor declares: \/spec\/template\/spec\/priorityClassName: PriorityClass platform-high, /);
    for (const name of ['RuntimeClass gvisor', 'ServiceAccount shop/web', 'imagePullSecrets/0: Secret shop/registry', 'volumes/0/configMap: ConfigMap shop/web-config',
      'volumes/1/secret: Secret shop/web-tls', 'PersistentVolumeClaim shop/web-data', 'sources/0/configMap: ConfigMap shop/ca-bundle', 'sources/1/secret: Secret shop/signing',
      'containers/0/env/0: Secret shop/db', 'containers/0/env/1: ConfigMap shop/modes', 'containers/0/envFrom/0: Secret shop/api-keys']) {
      expect(message).toContain(name);
    }
    // optional references are not required
    expect(message).not.toMatch(/maybe-there|flags|defaults/);
  });

  test('defined in the set, or declared as prerequisites: resolved', () => {
    expect(messagesOf([referencing(), ...EVERYTHING])).toEqual([]);
    expect(messagesOf([referencing()], EVERYTHING)).toEqual([]);
  });

  test('in another namespace it does not resolve; cluster-scoped kinds resolve from anywhere', () => {
    const elsewhere = EVERYTHING.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace && 'other' } }));
    const [message] = messagesOf([referencing(), ...elsewhere]);
    expect(message).toContain('Secret shop/db');
    expect(message).not.toContain('PriorityClass');
    expect(message).not.toContain('RuntimeClass');
  });

  test('what every cluster has: the default ServiceAccount, kube-root-ca.crt, the system priority classes and ClusterRoles', () => {
    const builtIns = mutated((pod, container) => {
      pod.serviceAccountName = 'default';
      pod.priorityClassName = 'system-cluster-critical';
      pod.volumes = [{ name: 'ca', configMap: { name: 'kube-root-ca.crt' } }];
      container.volumeMounts = [];
    });
    const binding = (kind: string, name: string) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name }, subjects: [],
    });
    expect(messagesOf([builtIns, binding('ClusterRole', 'view'), binding('ClusterRole', 'system:aggregate-to-view')])).toEqual([]);
    expect(messagesOf([binding('Role', 'reader')])).toEqual(['names what the app neither defines nor declares: /roleRef: Role shop/reader']);
    expect(messagesOf([binding('ClusterRole', 'platform-reader')])).toEqual(['names what the app neither defines nor declares: /roleRef: ClusterRole platform-reader']);
    expect(messagesOf([binding('Role', 'reader'), { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'reader', namespace: 'shop' }, rules: [] }])).toEqual([]);
  });

  test('malformed manifests (any YAML reaches the CLI) do not break the engine', () => {
    const odd = [
      { apiVersion: 1, kind: 'RoleBinding', metadata: { name: 'b', namespace: 'shop' }, roleRef: 'x', subjects: 'y' },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 5, namespace: ['shop'] }, roleRef: { kind: 'Role', name: 7 } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'c', image: 'ghcr.io/a/b:1.0.0', env: 'x', envFrom: [null, 3] }], volumes: [null, { configMap: 'x' }] } },
    ];
    const objects = odd.map((m, i) => policyObject(m, `test/${i}`));
    expect(() => PolicyReport._evaluate(objects, PolicyPack.defaults(), () => undefined)).not.toThrow();
  });

  test('the StorageClass of a claim: a PersistentVolumeClaim, a StatefulSet\'s claim templates, an ephemeral volume', () => {
    // GIVEN claims naming a class nobody declares, and one asking for no class ("")
    const claim = (storageClassName: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: `data-${storageClassName || 'none'}`, namespace: 'shop' },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage: '1Gi' } } },
    });
    const statefulSet = {
      ...mutated((pod) => { pod.volumes = [{ name: 'cache', ephemeral: { volumeClaimTemplate: { spec: { storageClassName: 'local-nvme', accessModes: ['ReadWriteOnce'] } } } }]; }),
      kind: 'StatefulSet',
    };
    statefulSet.spec = { ...statefulSet.spec, serviceName: 'web', volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClassName: 'fast-ssd' } }] };
    // WHEN they are judged
    const messages = messagesOf([claim('gp3'), claim(''), statefulSet]);
    // THEN each class is a reference the app must define or declare; "" is none
    expect(messages).toEqual([
      'names what the app neither defines nor declares: /spec/storageClassName: StorageClass gp3',
      'names what the app neither defines nor declares: /spec/volumeClaimTemplates/0/spec/storageClassName: StorageClass fast-ssd, '
        + '/spec/template/spec/volumes/0/ephemeral/volumeClaimTemplate/spec/storageClassName: StorageClass local-nvme',
    ]);
    // AND declaring the classes (cluster-scoped: no namespace) resolves them
    const classes = ['gp3', 'fast-ssd', 'local-nvme'].map((name) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name } }));
    expect(messagesOf([claim('gp3'), statefulSet], classes)).toEqual([]);
  });

  test('serviceAccount (the old field) counts when serviceAccountName is empty', () => {
    const pod = mutated((p) => { p.serviceAccountName = ''; p.serviceAccount = 'legacy'; });
    expect(messagesOf([pod])).toEqual([expect.stringContaining('/spec/template/spec/serviceAccount: ServiceAccount shop/legacy')]);
  });

  test('the hardened fixture names nothing it lacks', () => {
    expect(messagesOf([hardenedDeployment()])).toEqual([]);
  });
});

describe('Prerequisite and the report', () => {
  test('declared prerequisites and cdk8s-plus imports resolve references and are listed as what the app expects from the cluster', () => {
    // GIVEN a workload naming a platform PriorityClass and an imported Secret
    const { app, chart } = testChart();
    const credentials = kplus.Secret.fromSecretName(chart, 'credentials', 'db-credentials');
    new SecureDeployment(chart, 'web', {
      name: 'web',
      image: 'ghcr.io/acme/web:1.4.2',
      port: 8080,
      readiness: HealthProbe.http('/healthz'),
      priorityClass: Prerequisite.priorityClass(chart, 'platform-high'),
      env: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: credentials, key: 'password' }) },
    });
    // THEN nothing is unresolved, and the report says what the cluster must hold
    const report = Policy.report(app);
    expect(report.findings).toEqual([]);
    expect(report.prerequisites).toEqual(['PriorityClass platform-high', 'Secret shop/db-credentials']);
    expect(report.toText()).toContain('expects from the cluster: PriorityClass platform-high, Secret shop/db-credentials');
    expect(JSON.parse(report.toJson()).prerequisites).toEqual(report.prerequisites);
    // AND the pods name the class
    expect(only(synth(chart), 'Deployment').spec.template.spec.priorityClassName).toBe('platform-high');
  });

  test('without the declaration the same name is a warning (an error with failOnWarnings)', () => {
    const { app, chart } = testChart();
    new SecureDeployment(chart, 'web', { name: 'web', image: 'ghcr.io/acme/web:1.4.2', port: 8080, readiness: HealthProbe.http('/healthz'), priorityClassName: 'platform-high' });
    expect(Policy.report(app).warnings.map((f) => [f.ruleId, f.message])).toEqual([[RULE, expect.stringContaining('PriorityClass platform-high')]]);
    expect(errorOf(() => Policy.enforce(app, { failOnWarnings: true }) ?? app.synth()).message).toMatch(/K8S-REFERENCES-RESOLVE/);
  });

  test('declaring twice is declaring once; of() declares any kind, cluster-scoped on request', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    expect(Prerequisite.secret(chart, 'a')).toBe(Prerequisite.secret(chart, 'a'));
    const storage = Prerequisite.of(chart, { kind: 'StorageClass', name: 'fast-ssd' });
    const gateway = Prerequisite.of(chart, { kind: 'Gateway', name: 'public', namespace: 'gateways' });
    const crd = Prerequisite.of(chart, { kind: 'ClusterIssuer', name: 'letsencrypt', clusterScoped: true });
    expect([storage.namespace, gateway.namespace, crd.namespace]).toEqual([undefined, 'gateways', undefined]);
    expect(Policy.report(app).prerequisites).toEqual(['ClusterIssuer letsencrypt', 'Gateway gateways/public', 'Secret shop/a', 'StorageClass fast-ssd']);
  });

  test('a PriorityClass declared with of() serves as a priorityClass too; imports directly under the App have no namespace', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    Prerequisite.of(chart, { kind: 'PriorityClass', name: 'high' });
    expect(Prerequisite.priorityClass(chart, 'high').priorityClassName).toBe('high');
    kplus.Secret.fromSecretName(app, 'outside', 'loose');
    expect(Policy.report(app).prerequisites).toEqual(['PriorityClass high', 'Secret loose']);
  });

  test.each([
    ['a lower-case kind', () => Prerequisite.of(new Chart(Testing.app(), 'c'), { kind: 'secret', name: 'a' }), /kind "secret" is not a Kubernetes kind/],
    ['an invalid name', () => Prerequisite.secret(new Chart(Testing.app(), 'c'), 'DB Credentials'), /the name of the Secret "DB Credentials" is not a valid object name/],
    ['a name that is not a string', () => Prerequisite.configMap(new Chart(Testing.app(), 'c'), 42 as any), /the name of the ConfigMap is a number/],
    ['options that are not an object', () => Prerequisite.of(new Chart(Testing.app(), 'c'), 'Secret' as any), /the prerequisite is a string, not an object/],
  ])('hostile declarations are refused: %s', (_, declare, message) => {
    expect(errorOf(declare).message).toMatch(message);
  });
});

describe('PriorityClass', () => {
  test('a cluster-wide class, never the global default, named by the pods that use it', () => {
    // GIVEN a class and a workload using it
    const { app, chart } = testChart();
    const priority = new PriorityClass(chart, 'priority', { name: 'storefront', value: 100000, description: 'storefront pods' });
    new SecureDeployment(chart, 'web', { name: 'web', image: 'ghcr.io/acme/web:1.4.2', port: 8080, readiness: HealthProbe.http('/healthz'), priorityClass: priority });
    const manifests = synth(chart);
    // THEN a PriorityClass without a namespace, not global, preempting by default
    const priorityClass = only(manifests, 'PriorityClass');
    expect(priorityClass).toMatchObject({ apiVersion: 'scheduling.k8s.io/v1', metadata: { name: 'storefront' }, value: 100000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' });
    expect(priorityClass.metadata.namespace).toBeUndefined();
    expect(only(manifests, 'Deployment').spec.template.spec.priorityClassName).toBe('storefront');
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('preempting: false never evicts; without a name, the class is named after its construct path, unique in the app', () => {
    const { chart } = testChart();
    const batch = new PriorityClass(chart, 'batch', { value: 1000, preempting: false });
    expect(only(synth(chart), 'PriorityClass')).toMatchObject({ metadata: { name: 'shop-batch' }, preemptionPolicy: 'Never' });
    expect(batch.priorityClassName).toBe('shop-batch');
  });

  test.each([
    ['a value above the user range', { value: 1_000_000_001 }, /value .* up to 1000000000/],
    ['a fractional value', { value: 1.5 }, /value/],
    ['a value as a string', { value: '100' }, /value/],
    ['a system- name', { value: 1, name: 'system-high' }, /starts with "system-", which the API server reserves/],
    ['an invalid name', { value: 1, name: 'High Priority' }, /name "High Priority" is not a valid DNS-1123 subdomain/],
  ])('hostile props are refused: %s', (_, props, message) => {
    const { chart } = testChart();
    expect(errorOf(() => new PriorityClass(chart, 'p', props as any)).message).toMatch(new RegExp(`PriorityClass shop/p: .*${message.source}`));
  });

  test('SecureDeployment: priorityClass and priorityClassName together, or something else as priorityClass, are refused', () => {
    const { chart } = testChart();
    const base = { name: 'web', image: 'ghcr.io/acme/web:1.4.2', port: 8080 };
    expect(errorOf(() => new SecureDeployment(chart, 'a', { ...base, priorityClass: Prerequisite.priorityClass(chart, 'x'), priorityClassName: 'x' })).message)
      .toMatch(/both priorityClass and priorityClassName are given; pass only priorityClass/);
    expect(errorOf(() => new SecureDeployment(chart, 'b', { ...base, priorityClass: 'x' as any })).message).toMatch(/priorityClass .*PriorityClass/);
    expect(errorOf(() => new SecureDeployment(chart, 'c', { ...base, priorityClass: Prerequisite.priorityClass(chart, 'system-node-critical') })).message)
      .toMatch(/reserved for cluster components/);
  });

  test('a raw ApiObject naming a declared class resolves', () => {
    const { app, chart } = testChart();
    Prerequisite.priorityClass(chart, 'platform-high');
    new ApiObject(chart, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { priorityClassName: 'platform-high', containers: [{ name: 'c', image: 'ghcr.io/acme/p:1.0.0' }] } });
    expect(Policy.report(app).findings.filter((f) => f.ruleId === RULE)).toEqual([]);
  });
});
