import { PolicyPack, PolicyReport, Severity } from '../../src';
import { policyObject } from '../../src/policy/policy-object';
import { companions, hardenedDeployment, mutated } from '../support/fixtures';

const ALL_PACKS = [PolicyPack.RESTRICTED, PolicyPack.NSA_CISA, PolicyPack.BEST_PRACTICES, PolicyPack.IMAGE_DIGESTS];

function findingsOf(manifests: any[]): Array<{ ruleId: string; message: string }> {
  const objects = manifests.map((m, i) => policyObject(m, `test/object${i}`));
  return PolicyReport._evaluate(objects, ALL_PACKS, () => undefined).findings.map((f) => ({ ruleId: f.ruleId, message: f.message }));
}

function rulesViolatedBy(manifests: any[]): string[] {
  return [...new Set(findingsOf(manifests).map((f) => f.ruleId))].sort();
}

const role = (rules: any[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'shop' }, rules });
const digest = `@sha256:${'a'.repeat(64)}`;

// [rule, compliant fixture, non-compliant fixture, expected message]
const cases: Array<[string, () => any[], () => any[], RegExp]> = [
  ['PSS-HOST-NAMESPACES', () => [], () => [mutated((pod) => { pod.hostNetwork = true; })], /hostNetwork is true/],
  ['PSS-PRIVILEGED', () => [], () => [mutated((_, c) => { c.securityContext.privileged = true; })], /privileged is true/],
  ['PSS-CAPABILITIES-BASELINE', () => [mutated((_, c) => { c.securityContext.capabilities.add = ['NET_BIND_SERVICE']; })],
    () => [mutated((_, c) => { c.securityContext.capabilities.add = ['SYS_ADMIN']; })], /adds capability SYS_ADMIN/],
  ['PSS-HOST-PATH', () => [], () => [mutated((pod) => { pod.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }); })],
    /mounts host path \/var\/run\/docker.sock/],
  ['PSS-HOST-PORTS', () => [], () => [mutated((_, c) => { c.ports[0].hostPort = 80; })], /hostPort is 80/],
  ['PSS-APPARMOR', () => [mutated((_, __, d) => { d.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' }; })],
    () => [mutated((_, c) => { c.securityContext.appArmorProfile = { type: 'Unconfined' }; })], /appArmorProfile\/type is Unconfined/],
  ['PSS-SELINUX', () => [mutated((_, c) => { c.securityContext.seLinuxOptions = { type: 'container_t', level: 's0:c1,c2' }; })],
    () => [mutated((_, c) => { c.securityContext.seLinuxOptions = { type: 'spc_t', user: 'root' }; })], /type is spc_t/],
  ['PSS-PROC-MOUNT', () => [mutated((_, c) => { c.securityContext.procMount = 'Default'; })],
    () => [mutated((_, c) => { c.securityContext.procMount = 'Unmasked'; })], /procMount is Unmasked/],
  ['PSS-SECCOMP-BASELINE', () => [], () => [mutated((pod) => { pod.securityContext.seccompProfile.type = 'Unconfined'; })], /is Unconfined/],
  ['PSS-SYSCTLS', () => [mutated((pod) => { pod.securityContext.sysctls = [{ name: 'net.ipv4.tcp_syncookies', value: '1' }]; })],
    () => [mutated((pod) => { pod.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]; })], /kernel.msgmax is not safe/],
  ['PSS-WINDOWS-HOST-PROCESS', () => [], () => [mutated((pod) => { pod.securityContext.windowsOptions = { hostProcess: true }; })], /hostProcess is true/],
  ['PSS-VOLUME-TYPES', () => [mutated((pod) => { pod.volumes.push({ name: 'data', persistentVolumeClaim: { claimName: 'data' } }); })],
    () => [mutated((pod) => { pod.volumes.push({ name: 'nfs', nfs: { server: 'nfs', path: '/' } }); })], /volume "nfs" is of type nfs/],
  ['PSS-PRIVILEGE-ESCALATION', () => [], () => [mutated((_, c) => { delete c.securityContext.allowPrivilegeEscalation; })], /allowPrivilegeEscalation is not false/],
  ['PSS-RUN-AS-NON-ROOT', () => [mutated((_, c) => { delete c.securityContext.runAsNonRoot; })],
    () => [mutated((pod, c) => { delete pod.securityContext.runAsNonRoot; delete c.securityContext.runAsNonRoot; })], /may run as root/],
  ['PSS-RUN-AS-USER', () => [], () => [mutated((_, c) => { c.securityContext.runAsUser = 0; })], /runAsUser is 0/],
  ['PSS-SECCOMP', () => [mutated((_, c) => { delete c.securityContext.seccompProfile; })],
    () => [mutated((pod, c) => { delete pod.securityContext.seccompProfile; delete c.securityContext.seccompProfile; })], /no RuntimeDefault or Localhost seccomp/],
  ['PSS-CAPABILITIES', () => [], () => [mutated((_, c) => { c.securityContext.capabilities.drop = ['all']; })], /does not drop ALL/],
  ['NSA-READONLY-ROOTFS', () => [], () => [mutated((_, c) => { c.securityContext.readOnlyRootFilesystem = false; })], /readOnlyRootFilesystem is not true/],
  ['NSA-RESOURCES', () => [], () => [mutated((_, c) => { delete c.resources.limits.memory; })], /has no memory limit/],
  ['NSA-SA-TOKEN',
    () => [mutated((pod) => { delete pod.automountServiceAccountToken; pod.serviceAccountName = 'web'; }),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'shop' }, automountServiceAccountToken: false }],
    () => [mutated((pod) => { delete pod.automountServiceAccountToken; })], /mounts the token of service account "default"/],
  ['NSA-DEFAULT-NAMESPACE', () => [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }],
    () => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: {} }], /placed in the default namespace/],
  ['NSA-CREDENTIALS', () => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: { LOG_LEVEL: 'info' } }],
    () => [mutated((_, c) => { c.env = [{ name: 'DB_PASSWORD', value: 'hunter2' }]; })], /env DB_PASSWORD holds a literal password/],
  ['NSA-NETWORK-POLICY', () => [],
    () => [hardenedDeployment(), companions()[1]], /no NetworkPolicy in namespace shop restricts ingress or egress/],
  ['NSA-RBAC-WILDCARD', () => [role([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }])],
    () => [role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }])], /rules\[0\].apiGroups contains "\*"/],
  ['NSA-RBAC-POD-EXEC', () => [role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }])],
    () => [role([{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }])], /grants create on pods\/exec/],
  ['NSA-SERVICE-EXPOSURE', () => [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'shop' }, spec: { type: 'ClusterIP' } }],
    () => [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'shop' }, spec: { type: 'LoadBalancer' } }], /of type LoadBalancer/],
  ['BP-IMAGE-TAG', () => [], () => [mutated((_, c) => { c.image = 'nginx:latest'; })], /uses the mutable tag "latest"/],
  ['BP-IMAGE-DIGEST', () => [mutated((_, c) => { c.image = `ghcr.io/acme/web${digest}`; })], () => [], /not pinned by digest/],
  ['BP-PROBES', () => [], () => [mutated((_, c) => { delete c.readinessProbe; })], /serves a port without a readinessProbe/],
  ['BP-PDB', () => [], () => [hardenedDeployment(), companions()[0]], /no PodDisruptionBudget selects its pods/],
  ['NSA-METADATA-EGRESS', () => [], () => [hardenedDeployment(), {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'out', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'web' } }, policyTypes: ['Egress'], egress: [{}] },
  }], /egress\[0\] has no "to": it reaches the cloud metadata/],
  ['PSS-HOST-PROBES', () => [], () => [mutated((_, c) => { c.readinessProbe = { httpGet: { path: '/', port: 8080, host: '169.254.169.254' } }; })],
    /readinessProbe\/httpGet\/host is "169.254.169.254"/],
  ['PSS-PROC-MOUNT-RESTRICTED', () => [mutated((pod) => { pod.hostUsers = false; })],
    () => [mutated((pod, c) => { pod.hostUsers = false; c.securityContext.procMount = 'Unmasked'; })], /procMount is Unmasked \(restricted allows only Default/],
  ['PSS-NAMESPACE-LEVEL', () => [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } }],
    () => [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } }],
    /enforce is baseline, weaker than restricted/],
];

describe('every built-in rule has a compliant and a non-compliant fixture', () => {
  test('the table covers every built-in rule', () => {
    const builtIn = new Set(ALL_PACKS.flatMap((p) => p.rules.map((r) => r.id)));
    expect(cases.map((c) => c[0]).sort()).toEqual([...builtIn].sort());
  });

  test('the hardened fixture with its companions has no findings but the digest rule', () => {
    expect(rulesViolatedBy([hardenedDeployment(), ...companions()])).toEqual(['BP-IMAGE-DIGEST']);
  });

  test.each(cases)('%s', (ruleId, compliant, nonCompliant, message) => {
    // GIVEN a compliant fixture (with the hardened Deployment and its companions)
    const compliantSet = [...compliant(), ...companions(), ...(ruleId === 'BP-IMAGE-DIGEST' ? [] : [hardenedDeployment()])];
    // THEN the rule finds nothing
    expect(findingsOf(compliantSet).filter((f) => f.ruleId === ruleId)).toEqual([]);
    // GIVEN a non-compliant fixture
    const violating = nonCompliant();
    const violatingSet = ruleId === 'BP-IMAGE-DIGEST' ? [hardenedDeployment(), ...companions()]
      : ruleId === 'NSA-NETWORK-POLICY' || ruleId === 'BP-PDB' ? violating : [...violating, ...companions()];
    // THEN the rule reports it with a precise message
    const found = findingsOf(violatingSet).filter((f) => f.ruleId === ruleId);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0].message).toMatch(message);
  });
});

describe('packs', () => {
  test('restricted includes baseline; severities are set', () => {
    const baseline = PolicyPack.BASELINE.rules.map((r) => r.id);
    expect(PolicyPack.RESTRICTED.rules.map((r) => r.id)).toEqual(expect.arrayContaining(baseline));
    for (const rule of PolicyPack.RESTRICTED.rules) expect(rule.severity).toBe(Severity.ERROR);
  });

  test('finds workloads wherever pod specs live', () => {
    const pod = hardenedDeployment().spec.template;
    pod.spec.hostPID = true;
    const wrappers = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: pod.spec },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: 'shop' }, spec: { template: pod } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd', namespace: 'shop' }, spec: { template: pod } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'shop' }, spec: { template: pod } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'shop' }, spec: { template: pod } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'shop' }, spec: { jobTemplate: { spec: { template: pod } } } },
    ];
    for (const wrapper of wrappers) {
      expect(findingsOf([wrapper]).map((f) => f.ruleId)).toContain('PSS-HOST-NAMESPACES');
    }
  });
});
