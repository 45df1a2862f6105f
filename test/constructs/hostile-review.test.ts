// Hostile review of issue 13 ("accept nothing unsafe, emit nothing the API server would refuse").
// Every test asserts the SAFE behaviour: a failing test documents a gap that is still open.
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  CanaryPair, CanaryRouting, DefaultDenyNamespace, EgressAllowlist, EgressMode, EgressTarget, ExternalAddress, ExternalMongoService,
  FlywayMigrationJob, HealthProbe, Migrations, SecureDeployment,
} from '../../src';
import { FAKE } from '../support/fake-secrets';
import { errorOf, Manifest, synth, testChart } from '../support/helpers';

const IMAGE = 'ghcr.io/acme/web:1.4.2';
const PASSWORD = 'Sup3rS3cretPw';


/** A chart `shop` with a SecureDeployment `web`. */
function withWeb(props: Partial<ConstructorParameters<typeof SecureDeployment>[2]> = {}) {
  const { chart } = testChart();
  const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web', ...props });
  return { chart, web };
}

function mongo(chart: Construct, id: string, props: any = {}): ExternalMongoService {
  return new ExternalMongoService(chart, id, {
    address: ExternalAddress.ip('10.200.0.2'),
    database: 'app',
    credentials: kplus.Secret.fromSecretName(chart, `${id}-creds`, 'mongo-credentials'),
    ...props,
  });
}

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
        EgressTarget.cidr('0.0.0.0/1', { tcp: [443] }, { except: ['100.100.100.200/32'] }),
        EgressTarget.cidr('128.0.0.0/1', { tcp: [443] }, { except: ['169.254.169.254/32'] }),
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

describe('hostile input: no secret in a manifest, none in an error', () => {
  test.each([
    `admin:${PASSWORD}@ghcr.io/acme/web:1.4.2`,
    `https://admin:${PASSWORD}@ghcr.io/acme/web:1.4.2`,
  ])('an image reference with credentials (%#) is refused without echoing the password', (image) => {
    // GIVEN / WHEN / THEN refused, and the message names the kind, not the value
    const { chart } = testChart();
    const error = errorOf(() => new SecureDeployment(chart, 'web', { image, port: 8080 }));
    expect(error.message).toMatch(/^SecureDeployment shop\/web: image/);
    expect(error.message).not.toContain(PASSWORD);
  });

  test('a Flyway image with credentials is refused without echoing the password', () => {
    const { chart } = testChart();
    const error = errorOf(() => new FlywayMigrationJob(chart, 'migrate', {
      jdbcUrl: 'jdbc:postgresql://db:5432/app',
      credentials: kplus.Secret.fromSecretName(chart, 'creds', 'db'),
      migrations: Migrations.fromImage(`deploy:${PASSWORD}@quay.io/acme/migrations:1.0.0`),
    }));
    expect(error.message).toMatch(/^FlywayMigrationJob shop\/migrate: /);
    expect(error.message).not.toContain(PASSWORD);
  });

  test.each([
    `jdbc:postgresql:/admin:${PASSWORD}@db/app`,
    `jdbc:postgresql:admin:${PASSWORD}@db/app`,
  ])('a malformed JDBC URL carrying user:password (%#) is refused without echoing the password', (jdbcUrl) => {
    const { chart } = testChart();
    const error = errorOf(() => new FlywayMigrationJob(chart, 'migrate', {
      jdbcUrl, credentials: kplus.Secret.fromSecretName(chart, 'creds', 'db'), migrations: Migrations.fromImage('ghcr.io/acme/migrations:1.0.0'),
    }));
    expect(error.message).toMatch(/^FlywayMigrationJob shop\/migrate: jdbcUrl/);
    expect(error.message).not.toContain(PASSWORD);
  });

  test('a literal token in a pod label value is refused (labels are as public as annotations)', () => {
    // GIVEN a GitHub token as a label value (40 characters fit a label)
    const { chart } = testChart();
    // WHEN / THEN refused with the key, not the value
    const error = errorOf(() => new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, labels: { 'api-token': FAKE.github } }));
    expect(error.message).toMatch(/^SecureDeployment shop\/web: .*api-token/);
    expect(error.message).not.toContain(FAKE.github);
  });

  test('a literal token in an HTTP probe path is refused', () => {
    // GIVEN /healthz?access_token=<token> / WHEN used as a probe / THEN refused
    const { chart } = testChart();
    const error = errorOf(() => new SecureDeployment(chart, 'web', {
      image: IMAGE, port: 8080, readiness: HealthProbe.http(`/healthz?access_token=${FAKE.github}`),
    }));
    expect(error.message).toMatch(/^SecureDeployment shop\/web: /);
    expect(error.message).not.toContain(FAKE.github);
  });

  test('guard: a token in a CanaryPair header match value is refused without echoing it', () => {
    const { chart } = testChart();
    const error = errorOf(() => new CanaryPair(chart, 'reco', {
      port: 8080,
      stable: { image: IMAGE },
      canary: { image: 'ghcr.io/acme/web:1.5.0' },
      routing: CanaryRouting.istio({ matchHeaders: [{ name: 'x-canary', exact: FAKE.github }] }),
    }));
    expect(error.message).toMatch(/^CanaryPair shop\/reco: /);
    expect(error.message).not.toContain(FAKE.github);
  });
});

describe('hostile input: names the API server accepts, never colliding', () => {
  test('a valid image tag longer than a label value is accepted (version label dropped or shortened) or refused naming the image', () => {
    // GIVEN a 70-character tag (the OCI limit is 128)
    const { chart } = testChart();
    const image = `ghcr.io/acme/web:${'1'.repeat(64)}-build`;
    // WHEN / THEN no error about a label the user never wrote
    let manifests: Manifest[];
    try {
      new SecureDeployment(chart, 'web', { image, port: 8080 });
      manifests = synth(chart);
    } catch (e) {
      expect((e as Error).message).toMatch(/^SecureDeployment shop\/web: image/);
      return;
    }
    for (const m of manifests) for (const value of Object.values<string>(m.metadata.labels ?? {})) expect(value.length).toBeLessThanOrEqual(63);
  });

  test('two FlywayMigrationJobs whose ids differ only in case never emit the same Job or NetworkPolicy name', () => {
    // GIVEN two jobs with the same URL and migrations but different database egress
    const { chart } = testChart();
    const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'db');
    const migrations = Migrations.fromImage('ghcr.io/acme/migrations:1.0.0');
    new FlywayMigrationJob(chart, 'Migrate', { jdbcUrl: 'jdbc:postgresql://db:5432/app', credentials, migrations });
    new FlywayMigrationJob(chart, 'migrate', {
      jdbcUrl: 'jdbc:postgresql://db:5432/app', credentials, migrations, databaseEgress: EgressTarget.cidr('10.0.0.5/32', { tcp: [5432] }),
    });
    // WHEN synthesized / THEN every kind/name pair is unique
    const keys = synth(chart).map((m) => `${m.kind}/${m.metadata.namespace}/${m.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('two constructs that would emit the same object (Service "web") are refused at synth', () => {
    // GIVEN an ExternalMongoService named web and a SecureDeployment named web in one chart
    const { chart } = testChart();
    mongo(chart, 'db', { name: 'web' });
    new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, name: 'web' });
    // WHEN synthesized / THEN refused (kubectl apply would silently keep only the last one)
    expect(() => synth(chart)).toThrow(/web/);
  });

  test('guard: CanaryPair with a 63-character name gives every object a distinct valid name', () => {
    for (const routing of [CanaryRouting.replicas(), CanaryRouting.istio(), CanaryRouting.gatewayApi({ gateway: { name: 'gw' } })]) {
      // GIVEN the longest name
      const { chart } = testChart();
      const name = `${'a'.repeat(55)}-service`;
      new CanaryPair(chart, 'pair', {
        name, port: 8080, stable: { image: IMAGE, replicas: 3 }, canary: { image: 'ghcr.io/acme/web:1.5.0', replicas: 1 }, canaryWeight: 25, routing,
      });
      // WHEN synthesized
      const manifests = synth(chart);
      // THEN names are DNS labels, unique per kind
      const keys = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const m of manifests) expect(m.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    }
  });

  test('guard: allowFrom for workloads whose ids read alike (Web, web, nested web) gives distinct names', () => {
    // GIVEN three workloads with similar ids and a long service name
    const { chart } = testChart();
    const db = mongo(chart, 'mongo', { name: `${'m'.repeat(60)}db` });
    const nested = new Construct(chart, 'team');
    for (const [scope, id] of [[chart, 'Web'], [chart, 'web'], [nested, 'web']] as const) {
      db.allowFrom(new SecureDeployment(scope, id, { image: IMAGE, port: 8080, appName: 'web' }));
    }
    // WHEN synthesized / THEN unique, valid names
    const keys = synth(chart).map((m) => `${m.kind}/${m.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key.split('/')[1]).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
  });
});

describe('hostile input: plain JavaScript gets construct-path errors, never a TypeError', () => {
  const PATH = /^ExternalMongoService shop\/mongo: /;

  test.each([
    ['null', null],
    ['a string', 'web'],
    ['an object without a node', {}],
  ])('ExternalMongoService.allowFrom(%s) gives the construct-path error', (_what, workload) => {
    const { chart } = testChart();
    const db = mongo(chart, 'mongo');
    const error = errorOf(() => db.allowFrom(workload as any));
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(PATH);
  });

  test('ExternalMongoService.allowFrom(web, null) gives the construct-path error', () => {
    const { chart, web } = withWeb();
    const db = mongo(chart, 'mongo');
    const error = errorOf(() => db.allowFrom(web, null as any));
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(PATH);
  });

  test('EgressAllowlist with a workload whose toPodSelectorConfig is not a function gives the construct-path error', () => {
    const { chart } = testChart();
    const error = errorOf(() => new EgressAllowlist(chart, 'egress', {
      workload: { toPodSelectorConfig: 1 } as any, allow: [EgressTarget.cidr('10.0.0.0/24', { tcp: [443] })],
    }));
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/^EgressAllowlist shop\/egress: workload/);
  });
});
