import { EgressAllowlist, EgressAllowlistProps, EgressMode, EgressTarget, Policy, SecureDeployment } from '../../../src';
import { errorOf, synth, testChart } from '../../support/helpers';

/** An allowlist for a web workload in namespace shop, with a database beside it; its manifests. */
function allowlist(allow: (db: SecureDeployment) => EgressTarget[], props: Partial<EgressAllowlistProps> = {}) {
  const { app, chart } = testChart();
  const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
  const db = new SecureDeployment(chart, 'db', { image: 'ghcr.io/acme/db:1.0.0', port: 5432, name: 'db' });
  new EgressAllowlist(chart, 'egress', { workload: web, name: 'web', mode: EgressMode.CILIUM, allow: allow(db), ...props });
  const manifests = synth(chart);
  return {
    app,
    cilium: manifests.find((m) => m.kind === 'CiliumNetworkPolicy')!,
    policy: manifests.find((m) => m.metadata.name === 'web-egress')!,
  };
}

/** The blocks of the egressDeny rule, in order. */
const DENIED = [
  '169.254.0.0/16', '127.0.0.0/8', 'fe80::/10', '::1/128', 'fd00:ec2::254/128', '100.100.100.200/32', 'fd00:ec2::23/128', 'fd20:ce::254/128',
  '64:ff9b::a9fe:0/112', '64:ff9b::7f00:0/104', '64:ff9b::6464:64c8/128',
];

describe('EgressAllowlist, Cilium mode', () => {
  test('one CiliumNetworkPolicy: the DNS rule, toFQDNs for hosts and patterns, toCIDRSet for blocks, ports per target', () => {
    // GIVEN a host, a host pattern, a block with an exception and a range, and pods
    const { cilium, policy, app } = allowlist((db) => [
      EgressTarget.host('api.payments.example.com', { tcp: [443] }),
      EgressTarget.hostPattern('*.cdn.example.com', { tcp: [443] }),
      EgressTarget.cidr('10.100.0.0/16', { tcp: [8443], tcpRanges: [{ first: 9000, last: 9010 }] }, { exceptCidrs: ['10.100.5.0/24'] }),
      EgressTarget.pods(db, { tcp: [5432] }),
    ]);
    // THEN the CiliumNetworkPolicy selects the workload's pods and lists the external targets after the DNS rule
    expect(cilium.apiVersion).toBe('cilium.io/v2');
    expect(cilium.metadata).toMatchObject({ name: 'web', namespace: 'shop' });
    expect(cilium.spec.endpointSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } });
    expect(cilium.spec.egress).toEqual([
      {
        toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' } }],
        toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
      },
      { toFQDNs: [{ matchName: 'api.payments.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      { toFQDNs: [{ matchPattern: '*.cdn.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      {
        toCIDRSet: [{ cidr: '10.100.0.0/16', except: ['10.100.5.0/24'] }],
        toPorts: [{ ports: [{ port: '8443', protocol: 'TCP' }, { port: '9000', endPort: 9010, protocol: 'TCP' }] }],
      },
    ]);
    // AND names cannot lead to link-local, loopback or metadata addresses, whatever a DNS answer holds
    expect(cilium.spec.egressDeny).toEqual([{ toCIDRSet: DENIED.map((cidr) => ({ cidr })) }]);
    // AND the in-cluster target stays in the NetworkPolicy, alone: nothing there admits the host targets' ports
    expect(policy.spec.egress).toHaveLength(1);
    expect(policy.spec.egress[0].to[0].podSelector.matchLabels['app.kubernetes.io/instance']).toBe('db');
    // AND the policy packs find nothing
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('host names without Cilium or a mesh stay refused, and patterns need Cilium', () => {
    // GIVEN / WHEN a host in Kubernetes mode, a pattern in Kubernetes and Istio modes
    const host = errorOf(() => allowlist(() => [EgressTarget.host('api.example.com', { tcp: [443] })], { mode: EgressMode.KUBERNETES }));
    const patternKube = errorOf(() => allowlist(() => [EgressTarget.hostPattern('*.example.com', { tcp: [443] })], { mode: EgressMode.KUBERNETES }));
    const patternIstio = errorOf(() => allowlist(() => [EgressTarget.hostPattern('*.example.com', { tcp: [443] })], { mode: EgressMode.ISTIO }));
    // THEN each is refused with the modes that can enforce it
    expect(host.message).toMatch(/is a host name.*EgressMode\.ISTIO .* or EgressMode\.CILIUM/);
    expect(patternKube.message).toMatch(/EgressMode\.CILIUM/);
    expect(patternIstio.message).toMatch(/egress host pattern "\*\.example\.com" needs EgressMode\.CILIUM/);
  });

  describe('hostile patterns and targets', () => {
    test.each([
      ['*', /would reach every host, which re-opens all egress/],
      ['*.', /would reach every host/],
      ['*.com', /every name right below "com", a public suffix/],
      ['api.*.example.com', /is not "\*\." and a fixed domain/],
      ['**.example.com', /is not "\*\." and a fixed domain/],
      ['example.com', /is not "\*\." and a fixed domain/],
      ['*.localhost.example.com', undefined],
      ['*.svc.cluster.local', /cluster/],
      ['*.internal.localhost', /localhost/],
      ['*.169.254.169.254', /./],
    ])('pattern %s', (pattern, message) => {
      // GIVEN a pattern WHEN used in Cilium mode
      const make = () => allowlist(() => [EgressTarget.hostPattern(pattern, { tcp: [443] })]);
      // THEN it is refused with the reason (or, for a plain domain, accepted)
      if (message === undefined) {
        expect(make().cilium.spec.egress[1].toFQDNs).toEqual([{ matchPattern: pattern }]);
      } else {
        expect(errorOf(make).message).toMatch(message);
      }
    });

    test('blocks that together cover every address, a metadata address and a repeated host are refused', () => {
      const open = errorOf(() => allowlist(() => [
        EgressTarget.cidr('0.0.0.0/1', { tcp: [443] }, { exceptCidrs: ['100.100.100.200/32', '127.0.0.0/8'] }),
        EgressTarget.cidr('128.0.0.0/1', { tcp: [443] }, { exceptCidrs: ['169.254.0.0/16'] }),
      ]));
      const metadata = errorOf(() => allowlist(() => [EgressTarget.cidr('10.0.0.0/8', { tcp: [80] }), EgressTarget.cidr('169.254.169.0/24', { tcp: [80] })]));
      const repeated = errorOf(() => allowlist(() => [EgressTarget.host('api.example.com', { tcp: [443] }), EgressTarget.host('API.example.com.', { tcp: [8443] })]));
      expect(open.message).toMatch(/the targets together: the ipBlocks of allow\[0\], allow\[1\] cover every IPv4 address/);
      expect(metadata.message).toMatch(/"169\.254\.169\.0\/24" lies inside 169\.254\.0\.0\/16/);
      expect(repeated.message).toMatch(/allow\[1\] repeats "api\.example\.com" of allow\[0\]/);
    });

    test('a mode that is no EgressMode names the three', () => {
      expect(errorOf(() => allowlist(() => [EgressTarget.host('api.example.com', { tcp: [443] })], { mode: 'calico' as any })).message)
        .toMatch(/use EgressMode\.KUBERNETES, EgressMode\.ISTIO or EgressMode\.CILIUM/);
    });
  });
});
