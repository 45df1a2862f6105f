// Hostile input across the constructs: no prop, and no combination of constructs, opens the network (egress
// halves, metadata spellings, labels over every namespace, Istio Sidecars, sidecar injection, Mongo options, JDBC hosts).
// Every test asserts the SAFE behaviour.
import * as kplus from 'cdk8s-plus-27';
import {
  DefaultDenyNamespace, EgressAllowlist, EgressMode, EgressTarget, ExternalAddress, FlywayMigrationJob, Migrations, SecureDeployment,
} from '../../src';
import { Manifest, synth, testChart } from '../support/helpers';
import { IMAGE, mongo, withWeb } from '../support/workloads';

/** Whether an Istio Sidecar's egress hosts import a host of the namespace (`./*`, `./host`, `*\/*`, `./*.example.com`). */
function sidecarImports(sidecar: Manifest, host: string): boolean {
  const hosts: string[] = sidecar.spec.egress.flatMap((e: any) => e.hosts);
  return hosts.some((entry) => {
    const [ns, name] = entry.split('/');
    if (ns !== '.' && ns !== '*') return false;
    if (name === '*') return true;
    if (name.startsWith('*.')) return host.endsWith(name.slice(1));
    return name === host;
  });
}

describe('hostile input: the network must not open', () => {
  test('addEgressRule twice with the two halves of IPv4 (each excepting the metadata address it holds) is refused', () => {
    // GIVEN a workload
    const { web } = withWeb();
    // WHEN two rules together cover every IPv4 address (the internal ranges included)
    // THEN the second is refused as the ingress peer list refuses 0.0.0.0/1 + 128.0.0.0/1
    expect(() => {
      web.addEgressRule({ to: [{ ipBlock: { cidr: '0.0.0.0/1', except: ['100.100.100.200/32'] } }] });
      web.addEgressRule({ to: [{ ipBlock: { cidr: '128.0.0.0/1', except: ['169.254.169.254/32'] } }] });
    }).toThrow(/^SecureDeployment shop\/web: addEgressRule: .*(every|whole|all)/);
  });

  test('EgressAllowlist with 0.0.0.0/1 and 128.0.0.0/1 (metadata excepted) is refused like 0.0.0.0/0 without the internal ranges', () => {
    // GIVEN a workload
    const { chart, web } = withWeb();
    // WHEN two targets together are every IPv4 address on 443 (pods, nodes and the API server included)
    // THEN refused with the construct path
    expect(() => new EgressAllowlist(chart, 'egress', {
      workload: web,
      allow: [
        EgressTarget.cidr('0.0.0.0/1', { tcp: [443] }, { exceptCidrs: ['100.100.100.200/32'] }),
        EgressTarget.cidr('128.0.0.0/1', { tcp: [443] }, { exceptCidrs: ['169.254.169.254/32'] }),
      ],
    })).toThrow(/^EgressAllowlist shop\/egress: /);
  });

  test.each([
    ['64:ff9b::/95', 'a block holding the NAT64 prefix (64:ff9b::a9fe:a9fe = 169.254.169.254)'],
    ['169.254.170.23/32', 'the EKS Pod Identity agent (hands out IAM credentials)'],
    ['fd00:ec2::23/128', 'the EKS Pod Identity agent over IPv6'],
    ['fe80::a9fe:a9fe/128', 'the OpenStack metadata service over IPv6'],
  ])('EgressTarget.cidr(%s) is refused: %s', (cidr) => {
    // GIVEN a credential endpoint written as an egress block
    const { chart, web } = withWeb();
    // WHEN used / THEN refused like 169.254.169.254/32 is
    expect(() => new EgressAllowlist(chart, 'egress', { workload: web, allow: [EgressTarget.cidr(cidr, { tcp: [80] })] }))
      .toThrow(/^EgressAllowlist shop\/egress: .*(metadata|credential)/);
  });

  test.each([
    ['::169.254.169.254', 'IPv4-compatible spelling of the metadata address'],
    ['::a9fe:a9fe', 'IPv4-compatible spelling, hex'],
    ['fd00:ec2::23', 'EKS Pod Identity agent'],
  ])('ExternalAddress.ip(%s) is refused (%s)', (address) => {
    // GIVEN a chart / WHEN the address is used / THEN refused with the construct path
    const { chart } = testChart();
    expect(() => mongo(chart, 'mongo', { address: ExternalAddress.ip(address) })).toThrow(/^ExternalMongoService shop\/mongo: address /);
  });

  test('guard: metadata addresses in their decimal/octal/hex/short spellings stay refused everywhere', () => {
    // GIVEN spellings resolvers read as 169.254.169.254 or loopback
    for (const host of ['2852039166', '0xa9fea9fe', '0251.0376.0251.0376', '169.254.43518', '127.1', '0', 'LOCALHOST.', 'Metadata.Google.Internal.']) {
      const { chart, web } = withWeb();
      // WHEN used as an external host or address / THEN refused
      expect(() => mongo(chart, 'mongo', { address: ExternalAddress.hostname(host) })).toThrow(/^ExternalMongoService shop\/mongo: /);
      expect(() => mongo(chart, 'mongo2', { address: ExternalAddress.ip(host) })).toThrow(/^ExternalMongoService shop\/mongo2: /);
      expect(() => new EgressAllowlist(chart, 'egress', { workload: web, mode: EgressMode.ISTIO, allow: [EgressTarget.host(host, { tcp: [80] })] }))
        .toThrow(/^EgressAllowlist shop\/egress: /);
    }
  });

  test('EgressTarget.pods with labels over every namespace is refused (any tenant can label a pod app=db)', () => {
    // GIVEN a selector by labels in all namespaces
    const { chart, web } = withWeb();
    const db = kplus.Pods.select(chart, 'db', { labels: { app: 'db' }, namespaces: kplus.Namespaces.all(chart, 'all') });
    // WHEN used / THEN refused, as DnsEgress.custom refuses empty namespaceLabels for the same reason
    expect(() => new EgressAllowlist(chart, 'egress', { workload: web, allow: [EgressTarget.pods(db, { tcp: [5432] })] }))
      .toThrow(/^EgressAllowlist shop\/egress: .*namespace/);
  });

  test('Istio mode with a workload selected by expressions only never emits a Sidecar with an empty workloadSelector', () => {
    // GIVEN a workload selected by a label expression
    const { chart } = testChart();
    const selected = kplus.Pods.select(chart, 'sel', { expressions: [kplus.LabelExpression.in('app', ['web'])] });
    // WHEN an Istio allowlist is made for it
    let sidecars: Manifest[] = [];
    try {
      new EgressAllowlist(chart, 'egress', { workload: selected, mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.example.com', { tcp: [443] })] });
      sidecars = synth(chart).filter((m) => m.kind === 'Sidecar');
    } catch (e) {
      // THEN either refused with the construct path...
      expect((e as Error).message).toMatch(/^EgressAllowlist shop\/egress: /);
      return;
    }
    // ...or the Sidecar selects the workload's pods, not every pod of the namespace
    for (const sidecar of sidecars) expect(Object.keys(sidecar.spec.workloadSelector?.labels ?? {}).length).toBeGreaterThan(0);
  });

  test('Istio mode: a workload\'s Sidecar does not import the hosts allowed for another workload of the namespace', () => {
    // GIVEN two workloads, each with its own Istio allowlist
    const { chart } = testChart();
    const a = new SecureDeployment(chart, 'a', { image: IMAGE, port: 8080, name: 'a' });
    const b = new SecureDeployment(chart, 'b', { image: IMAGE, port: 8080, name: 'b' });
    new EgressAllowlist(chart, 'egress-a', { workload: a, name: 'a', mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.a.example.com', { tcp: [443] })] });
    new EgressAllowlist(chart, 'egress-b', { workload: b, name: 'b', mode: EgressMode.ISTIO, allow: [EgressTarget.host('payments.b.example.com', { tcp: [443] })] });
    // WHEN synthesized
    const sidecarA = synth(chart).find((m) => m.kind === 'Sidecar' && m.metadata.name === 'a')!;
    // THEN a's proxy (REGISTRY_ONLY) knows its own host, not b's (ServiceEntries are exported to the namespace)
    expect(sidecarImports(sidecarA, 'api.a.example.com')).toBe(true);
    expect(sidecarImports(sidecarA, 'payments.b.example.com')).toBe(false);
  });

  test('Istio mode: at most one Sidecar selects a workload (mongo.allowFrom + an EgressAllowlist for the same workload)', () => {
    // GIVEN a workload with an Istio allowlist and an Istio allowFrom of a Mongo host
    const { chart, web } = withWeb();
    const db = mongo(chart, 'mongo', { address: ExternalAddress.hostname('mongo.example.com') });
    try {
      new EgressAllowlist(chart, 'egress', { workload: web, mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.example.com', { tcp: [443] })] });
      db.allowFrom(web, { mode: EgressMode.ISTIO });
    } catch (e) {
      // THEN either refused with a construct path...
      expect((e as Error).message).toMatch(/^(EgressAllowlist|ExternalMongoService) shop\//);
      return;
    }
    // ...or one Sidecar (Istio leaves the choice between two Sidecars of one workload undefined)
    const selecting = synth(chart).filter((m) => m.kind === 'Sidecar' && m.spec.workloadSelector?.labels?.['app.kubernetes.io/instance'] === 'web');
    expect(selecting.length).toBeLessThanOrEqual(1);
  });

  test('DefaultDenyNamespace refuses labels that switch sidecar injection off for the namespace', () => {
    // GIVEN / WHEN istio-injection: disabled (every pod escapes REGISTRY_ONLY and mTLS) / THEN refused
    const { chart } = testChart();
    expect(() => new DefaultDenyNamespace(chart, 'ns', { name: 'shop', labels: { 'istio-injection': 'disabled' } }))
      .toThrow(/^DefaultDenyNamespace shop\/ns: .*istio-injection/);
  });

  test('ExternalMongoService refuses options that move the destination (proxyHost)', () => {
    // GIVEN / WHEN the driver would connect through a SOCKS5 proxy the NetworkPolicy knows nothing of / THEN refused
    const { chart } = testChart();
    expect(() => mongo(chart, 'mongo', { options: { proxyHost: 'localhost', proxyPort: '1080' } })).toThrow(/^ExternalMongoService shop\/mongo: options "proxyHost"/);
  });

  test('FlywayMigrationJob refuses a JDBC host the pod\'s /etc/hosts maps to loopback (ip6-localhost)', () => {
    // GIVEN / WHEN the kubelet-managed /etc/hosts names ::1 ip6-localhost ip6-loopback / THEN refused like localhost
    const { chart } = testChart();
    expect(() => new FlywayMigrationJob(chart, 'migrate', {
      jdbcUrl: 'jdbc:postgresql://ip6-localhost:5432/app',
      credentials: kplus.Secret.fromSecretName(chart, 'creds', 'db'),
      migrations: Migrations.fromImage('ghcr.io/acme/migrations:1.0.0'),
    })).toThrow(/^FlywayMigrationJob shop\/migrate: .*ip6-localhost/);
  });
});
