import { ApiObject } from 'cdk8s';
import { DefaultDenyNamespace, DefaultDenyNamespaceProps, DnsEgress, Policy, PodSecurityLevel, PolicyPack, SecureDeployment } from '../../../src';
import { PodSecurityVersion } from '../../../src/k8s/pod-security-version';
import { only, schemaFindings, synth, testChart } from '../../support/helpers';

function namespace(props: Partial<DefaultDenyNamespaceProps> = {}) {
  const { app, chart } = testChart();
  const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop', ...props });
  return { app, chart, ns, manifests: synth(chart) };
}

describe('DefaultDenyNamespace defaults', () => {
  // GIVEN only a name, WHEN synthesized
  const { app, manifests } = namespace();

  test('emits the whole default-deny set (snapshot)', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('schema-valid, and zero findings from every pack', () => {
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('Pod Security Admission enforces, audits and warns restricted, pinned to a version', () => {
    const ns = only(manifests, 'Namespace');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.37',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.37',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.37',
    });
  });

  test('pins the newest version the packs judge at (one constant: PodSecurityVersion.LATEST)', () => {
    expect(only(manifests, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe(PodSecurityVersion.LATEST.toString());
    expect(PolicyPack.restricted()).toBe(PolicyPack.RESTRICTED);
    expect(PolicyPack.defaults()).toContain(PolicyPack.RESTRICTED);
  });

  test('denies all ingress and egress of every pod, and allows DNS to kube-dns', () => {
    const [deny, dns] = manifests.filter((m) => m.kind === 'NetworkPolicy');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(dns.spec.policyTypes).toEqual(['Egress']);
    expect(dns.spec.egress[0].to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    }]);
    expect(dns.spec.egress[0].ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
  });

  test('a quota with no LoadBalancer or NodePort services, and default container limits', () => {
    expect(only(manifests, 'ResourceQuota').spec.hard).toEqual({
      'requests.cpu': '4',
      'limits.cpu': '8',
      'requests.memory': '8Gi',
      'limits.memory': '16Gi',
      'limits.ephemeral-storage': '20Gi',
      'pods': 50,
      'persistentvolumeclaims': 10,
      'services.loadbalancers': 0,
      'services.nodeports': 0,
    });
    expect(only(manifests, 'LimitRange').spec.limits[0]).toMatchObject({
      type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' },
    });
  });

  test('the default service account mounts no token', () => {
    expect(only(manifests, 'ServiceAccount')).toMatchObject({ metadata: { name: 'default', namespace: 'shop' }, automountServiceAccountToken: false });
  });
});

describe('DefaultDenyNamespace options', () => {
  test('NodeLocal DNS, custom DNS and no DNS', () => {
    const nodeLocal = namespace({ dns: DnsEgress.nodeLocal() }).manifests.find((m) => m.metadata.name === 'allow-dns')!;
    expect(nodeLocal.spec.egress[0].to).toEqual([{ ipBlock: { cidr: '169.254.20.10/32' } }]);
    const custom = namespace({ dns: DnsEgress.custom({ namespaceLabels: { team: 'dns' }, podLabels: { app: 'unbound' } }) })
      .manifests.find((m) => m.metadata.name === 'allow-dns')!;
    expect(custom.spec.egress[0].to[0].podSelector).toEqual({ matchLabels: { app: 'unbound' } });
    expect(namespace({ dns: DnsEgress.none() }).manifests.find((m) => m.metadata.name === 'allow-dns')).toBeUndefined();
  });

  test('a weaker level only when confirmed', () => {
    expect(() => namespace({ podSecurityLevel: PodSecurityLevel.BASELINE }))
      .toThrow(/DefaultDenyNamespace shop\/ns: podSecurityLevel "baseline" is weaker than restricted; .*acceptWeakerPodSecurity: true/);
    const { manifests } = namespace({ podSecurityLevel: PodSecurityLevel.BASELINE, acceptWeakerPodSecurity: true });
    expect(only(manifests, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('the default packs judge a workload of the namespace at the version it pins, and no other', () => {
    // GIVEN a pod that runs as root inside a user namespace: admitted from v1.35, rejected by older versions
    const podIn = (props: Partial<DefaultDenyNamespaceProps>) => {
      const { app, chart } = namespace(props);
      new ApiObject(chart, 'pod', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'userns', namespace: 'shop' },
        spec: {
          hostUsers: false,
          securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'app',
            image: 'ghcr.io/acme/app:1.0.0',
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          }],
        },
      });
      // WHEN the default packs report
      return Policy.report(app).findings.filter((f) => f.ruleId.startsWith('PSS-'));
    };
    // THEN with the default pin the namespace and the packs agree; an older pin rejects what the packs admit
    expect(podIn({})).toEqual([]);
    expect(podIn({ podSecurityVersion: 'v1.33' }).map((f) => f.message)).toEqual([
      expect.stringMatching(/^namespace shop enforces restricted v1\.33: .*runAsUser.*\(PSS-RUN-AS-USER\)$/),
    ]);
  });

  test('quota sizes and pinned version', () => {
    const { manifests } = namespace({ quota: { requestsCpu: '500m', pods: 10, loadBalancers: 1 }, podSecurityVersion: 'v1.31' });
    expect(only(manifests, 'ResourceQuota').spec.hard).toMatchObject({ 'requests.cpu': '500m', 'pods': 10, 'services.loadbalancers': 1 });
    expect(only(manifests, 'Namespace').metadata.labels['pod-security.kubernetes.io/warn-version']).toBe('v1.31');
  });

  test('workloads take the namespace construct itself', () => {
    const { chart } = testChart('elsewhere');
    const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, namespace: ns });
    const manifests = synth(chart);
    const own = manifests.filter((m) => m.metadata.labels?.['app.kubernetes.io/instance'] === web.name);
    expect(own.length).toBeGreaterThan(3);
    for (const m of own) expect(m.metadata.namespace).toBe('shop');
    // the namespace is applied before the workload
    expect(manifests.findIndex((m) => m.kind === 'Namespace')).toBeLessThan(manifests.findIndex((m) => m.kind === 'Deployment'));
  });

  test.each<[string, Partial<DefaultDenyNamespaceProps>, RegExp]>([
    ['invalid name', { name: 'Shop_1' }, /name "Shop_1" is not a valid DNS-1123 label.*"shop-1"/],
    ['latest version', { podSecurityVersion: 'latest' }, /podSecurityVersion "latest" is not a pinned Kubernetes minor version/],
    ['a version older than the policy engine judges', { podSecurityVersion: 'v1.20' }, /podSecurityVersion: Pod Security Standards version "v1.20" is not supported; use a version from v1.27/],
    ['bad quota', { quota: { limitsMemory: '16 GB' } }, /quota limits.memory "16 GB" is not a Kubernetes quantity/],
    ['negative count', { quota: { pods: -1 } }, /quota pods -1 is not a whole number/],
  ])('refuses %s', (_, props, message) => {
    expect(() => namespace(props)).toThrow(message);
  });
});
