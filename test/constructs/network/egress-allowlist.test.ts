import * as kplus from 'cdk8s-plus-27';
import { EgressAllowlist, EgressAllowlistProps, EgressMode, EgressTarget, Policy, PolicyPack, SecureDeployment } from '../../../src';
import { schemaFindings, synth, testChart } from '../../support/helpers';

function allowlist(props: Partial<EgressAllowlistProps> = {}) {
  const { app, chart } = testChart();
  const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: 'web' });
  const list = new EgressAllowlist(chart, 'egress', { workload: web, name: 'web', allow: [], ...props });
  const manifests = synth(chart);
  return { app, chart, web, list, manifests, policy: manifests.find((m) => m.metadata.name === 'web-egress')! };
}

describe('EgressAllowlist, Kubernetes mode', () => {
  test('one NetworkPolicy: CIDRs with except, namespaces, pods, ports and ranges (snapshot)', () => {
    const { chart } = testChart();
    const db = new SecureDeployment(chart, 'db', { image: 'ghcr.io/acme/db:1.0.0', port: 5432, name: 'db' });
    const { manifests, policy, app } = allowlist({
      allow: [
        EgressTarget.cidr('10.200.0.2/32', { tcp: [27017] }),
        EgressTarget.cidr('10.100.0.0/16', { tcp: [443], udpRanges: [{ first: 30000, last: 30100 }] }, { exceptCidrs: ['10.100.5.0/24'] }),
        EgressTarget.namespace('monitoring', { tcp: [9090] }),
        EgressTarget.pods(db, { tcp: [5432] }),
      ],
    });
    expect(policy).toMatchSnapshot();
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } });
    expect(policy.spec.policyTypes).toEqual(['Egress']);
    expect(policy.spec.egress[0]).toEqual({ to: [{ ipBlock: { cidr: '10.200.0.2/32' } }], ports: [{ protocol: 'TCP', port: 27017 }] });
    expect(policy.spec.egress[1].to[0].ipBlock).toEqual({ cidr: '10.100.0.0/16', except: ['10.100.5.0/24'] });
    expect(policy.spec.egress[1].ports).toContainEqual({ protocol: 'UDP', port: 30000, endPort: 30100 });
    expect(policy.spec.egress[2].to).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
    expect(policy.spec.egress[3].to[0].podSelector.matchLabels['app.kubernetes.io/instance']).toBe('db');
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('kplus pod selectors are targets too', () => {
    const { chart } = testChart();
    const { policy } = allowlist({ allow: [EgressTarget.pods(kplus.Pods.select(chart, 'cache', { labels: { app: 'redis' } }), { tcp: [6379] })] });
    expect(policy.spec.egress[0].to).toEqual([{ podSelector: { matchLabels: { app: 'redis' } } }]);
  });
});

describe('EgressAllowlist, Istio mode', () => {
  const { app, manifests, policy } = allowlist({
    mode: EgressMode.ISTIO,
    allow: [EgressTarget.host('api.example.com', { tcp: [443] }), EgressTarget.cidr('10.200.0.2/32', { tcp: [27017] })],
  });

  test('a ServiceEntry per host and block, a REGISTRY_ONLY Sidecar (snapshot)', () => {
    expect(manifests.filter((m) => m.apiVersion === 'networking.istio.io/v1')).toMatchSnapshot();
  });

  test('the host becomes a DNS-resolved external ServiceEntry visible only in its namespace', () => {
    const entry = manifests.find((m) => m.kind === 'ServiceEntry' && m.spec.hosts[0] === 'api.example.com')!;
    expect(entry.spec).toEqual({
      hosts: ['api.example.com'],
      location: 'MESH_EXTERNAL',
      resolution: 'DNS',
      ports: [{ number: 443, name: 'tls-443', protocol: 'TLS' }],
      exportTo: ['.'],
    });
  });

  test('the IP block becomes an address-only ServiceEntry', () => {
    const entry = manifests.find((m) => m.kind === 'ServiceEntry' && m.spec.addresses)!;
    expect(entry.spec).toMatchObject({ addresses: ['10.200.0.2/32'], resolution: 'NONE', ports: [{ number: 27017, protocol: 'TCP' }] });
  });

  test('the Sidecar blocks every unlisted host', () => {
    const sidecar = manifests.find((m) => m.kind === 'Sidecar')!;
    expect(sidecar.spec.outboundTrafficPolicy).toEqual({ mode: 'REGISTRY_ONLY' });
    expect(sidecar.spec.workloadSelector.labels).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' });
  });

  test('the NetworkPolicy still limits ports: public addresses for hosts, the block itself, and istiod', () => {
    expect(policy.spec.egress[0].to[0].ipBlock).toEqual({ cidr: '0.0.0.0/0', except: expect.arrayContaining(['10.0.0.0/8', '169.254.0.0/16']) });
    expect(policy.spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 443 }]);
    expect(policy.spec.egress[1].to).toEqual([{ ipBlock: { cidr: '10.200.0.2/32' } }]);
    expect(policy.spec.egress[2].ports).toEqual([{ protocol: 'TCP', port: 15012 }]);
  });

  test('schema-valid (core and Istio) with zero findings', () => {
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app, { packs: [...PolicyPack.defaults()] }).findings).toEqual([]);
  });
});

describe('EgressAllowlist bad input', () => {
  test.each<[string, Partial<EgressAllowlistProps>, RegExp]>([
    ['prefix beyond 32 bits', { allow: [EgressTarget.cidr('10.0.0.0/33', { tcp: [443] })] }, /EgressAllowlist shop\/egress: CIDR "10.0.0.0\/33" has prefix length 33/],
    ['host bits set', { allow: [EgressTarget.cidr('10.0.0.1/24', { tcp: [443] })] }, /has host bits set; use the network "10.0.0.0\/24", or "10.0.0.1\/32"/],
    ['port 0', { allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [0] })] }, /TCP port of 10.0.0.0\/24 0 is not a valid port/],
    ['port 70000', { allow: [EgressTarget.cidr('10.0.0.0/24', { udp: [70000] })] }, /UDP port of 10.0.0.0\/24 70000 is not a valid port/],
    ['reversed range', { allow: [EgressTarget.cidr('10.0.0.0/24', { tcpRanges: [{ first: 9000, last: 8000 }] })] }, /ends before it starts/],
    ['no ports', { allow: [EgressTarget.cidr('10.0.0.0/24', {})] }, /lists no port; name the ports/],
    ['invalid hostname', { mode: EgressMode.ISTIO, allow: [EgressTarget.host('api_bad.example.com', { tcp: [443] })] }, /egress host name \(RFC 1123\) "api_bad.example.com" is not a valid DNS-1123 subdomain/],
    ['hostname without a mesh', { allow: [EgressTarget.host('api.example.com', { tcp: [443] })] },
      /"api.example.com" is a host name, and a Kubernetes NetworkPolicy can only match IP blocks, pods and namespaces; use mode: EgressMode.ISTIO/],
    ['invalid namespace', { allow: [EgressTarget.namespace('Team_A', { tcp: [443] })] }, /egress namespace "Team_A" is not a valid DNS-1123 label/],
    ['UDP in a ServiceEntry', { mode: EgressMode.ISTIO, allow: [EgressTarget.host('ntp.example.com', { udp: [123] })] }, /Istio mode: UDP port 123/],
    ['nothing allowed', { allow: [] }, /allow lists no target/],
  ])('%s', (_, props, message) => {
    expect(() => allowlist(props)).toThrow(message);
  });
});
