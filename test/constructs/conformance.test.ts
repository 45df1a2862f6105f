import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import {
  CanaryPair, CanaryRouting, DefaultDenyNamespace, EgressAllowlist, EgressMode, EgressTarget, ExternalAddress, ExternalMongoService,
  FlywayMigrationJob, HealthProbe,
  Migrations, Policy, PolicyPack, SecureDeployment, SecureDeploymentProps,
} from '../../src';
import { CLOUD_METADATA_ADDRESSES } from '../../src/k8s/addresses';
import { cidrContains } from '../../src/k8s/cidr';
import { schemaFindings, synth, testChart } from '../support/helpers';

const ALL_PACKS = { packs: [...PolicyPack.defaults(), PolicyPack.BASELINE] };
const DIGEST = `@sha256:${'0123456789abcdef'.repeat(4)}`;

/** The SecureDeployment variants. */
const variants: Array<[string, Partial<SecureDeploymentProps>]> = [
  ['defaults', {}],
  ['autoscaled', { autoscaling: { minReplicas: 2, maxReplicas: 8, memoryTargetPercent: 75 } }],
  ['worker', { port: undefined, liveness: HealthProbe.exec(['/bin/healthy']) }],
  ['http and grpc probes', { readiness: HealthProbe.http('/ready'), liveness: HealthProbe.grpc() }],
  ['digest image', { image: `ghcr.io/acme/web${DIGEST}`, requireImageDigest: true }],
  ['custom ids and writable paths', { user: 1000, group: 3000, writablePaths: ['/var/cache/app', '/run'] }],
];

describe('conformance: every SecureDeployment variant has zero findings in every pack', () => {
  test.each(variants)('%s', (_, props) => {
    // GIVEN a variant
    const { app, chart } = testChart();
    new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, ...props });
    // THEN every pack passes with no finding at all, and the objects are schema-valid
    const report = Policy.report(app, ALL_PACKS);
    expect(report.findings).toEqual([]);
    expect(report.scores.every((s) => s.passed === s.applicable)).toBe(true);
    expect(schemaFindings(synth(chart))).toEqual([]);
  });

  test('a default-deny namespace with an allow-listed workload, in both egress modes', () => {
    const { app, chart } = testChart();
    const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, namespace: ns });
    new EgressAllowlist(chart, 'db', { workload: web, allow: [EgressTarget.cidr('10.200.0.2/32', { tcp: [27017] })] });
    new EgressAllowlist(chart, 'api', { workload: web, mode: EgressMode.ISTIO, allow: [EgressTarget.host('api.example.com', { tcp: [443] })] });
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
    expect(schemaFindings(synth(chart))).toEqual([]);
  });

  test('an external database and its migration job', () => {
    const { app, chart } = testChart();
    const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'db');
    const mongo = new ExternalMongoService(chart, 'mongo', { address: ExternalAddress.ip('10.200.0.2', 'fd00::2'), database: 'dev', credentials });
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, env: mongo.env() });
    mongo.allowFrom(web);
    new ExternalMongoService(chart, 'mongo-ext', { address: ExternalAddress.hostname('mongo.example.com'), database: 'dev', credentials });
    const dir = mkdtempSync(path.join(tmpdir(), 'sql-'));
    writeFileSync(path.join(dir, 'V1__init.sql'), 'CREATE TABLE t (id INT);');
    new FlywayMigrationJob(chart, 'migrate', { jdbcUrl: 'jdbc:postgresql://postgresql:5432/db', credentials, migrations: Migrations.fromDirectory(dir) });
    new FlywayMigrationJob(chart, 'migrate-img', { jdbcUrl: 'jdbc:postgresql://10.0.0.5/db', credentials, migrations: Migrations.fromImage('quay.io/acme/m:1.0.0') });
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
    expect(schemaFindings(synth(chart))).toEqual([]);
  });

  test.each([
    ['replicas', CanaryRouting.replicas()],
    ['istio', CanaryRouting.istio({ matchHeaders: [{ name: 'user-agent', regex: '.*Safari.*' }], mirror: true })],
    ['gateway api', CanaryRouting.gatewayApi({ gateway: { name: 'public', namespace: 'gateways' }, mirror: true })],
  ])('a canary pair with %s routing', (_, routing) => {
    const { app, chart } = testChart();
    new CanaryPair(chart, 'reco', {
      port: 8080, stable: { image: 'quay.io/acme/reco:1.0.0', replicas: 6 }, canary: { image: 'quay.io/acme/reco:1.2.0', replicas: 2 }, canaryWeight: 25, routing,
    });
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
    expect(schemaFindings(synth(chart))).toEqual([]);
  });

  test('with digests required, a digest-pinned workload has zero findings too', () => {
    const { app, chart } = testChart();
    new SecureDeployment(chart, 'web', { image: `ghcr.io/acme/web${DIGEST}`, port: 8080 });
    expect(Policy.report(app, { packs: [PolicyPack.IMAGE_DIGESTS] }).findings).toEqual([]);
  });
});

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/);
const propsArbitrary: fc.Arbitrary<SecureDeploymentProps> = fc.record({
  image: fc.tuple(fc.constantFrom('ghcr.io/acme', 'quay.io/team', 'registry.example.com:5000/x', 'docker.io/library'), name,
    fc.oneof(fc.stringMatching(/^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{1,2}$/).map((t) => `:${t}`), fc.constant(DIGEST)))
    .map(([registry, repo, pin]) => `${registry}/${repo}${pin}`),
  port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  replicas: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
  autoscaling: fc.option(fc.integer({ min: 1, max: 5 }).chain((min) => fc.record({
    minReplicas: fc.constant(min),
    maxReplicas: fc.integer({ min, max: 30 }),
    cpuTargetPercent: fc.integer({ min: 1, max: 100 }),
    memoryTargetPercent: fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
  })), { nil: undefined }),
  user: fc.option(fc.integer({ min: 1, max: 2147483647 }), { nil: undefined }),
  group: fc.option(fc.integer({ min: 1, max: 2147483647 }), { nil: undefined }),
  writablePaths: fc.option(fc.uniqueArray(name.map((n) => `/var/${n}`), { maxLength: 3 }), { nil: undefined }),
  env: fc.option(fc.dictionary(fc.stringMatching(/^(LOG|MODE|REGION|FEATURE)_[A-Z]{1,6}$/), fc.string({ maxLength: 20 }).map((v) => kplus.EnvValue.fromValue(v)), { maxKeys: 4 }), { nil: undefined }),
  component: fc.option(name, { nil: undefined }),
}, { requiredKeys: ['image'] });

describe('property: generated valid props always synthesize with zero findings', () => {
  test('SecureDeployment', () => {
    const manifests: any[] = [];
    fc.assert(fc.property(propsArbitrary, (props) => {
      const { app, chart } = testChart();
      const worker = props.port === undefined ? { liveness: HealthProbe.exec(['/bin/healthy']) } : {};
      new SecureDeployment(chart, 'web', { ...props, ...worker });
      const report = Policy.report(app, ALL_PACKS);
      manifests.push(...synth(chart));
      return report.findings.length === 0;
    }), { numRuns: 150 });
    // AND every generated object is schema-valid (checked in one batch)
    expect(schemaFindings(manifests)).toEqual([]);
  });
});

const octet = fc.integer({ min: 1, max: 254 });
// Routable addresses; the cloud metadata addresses are refused by construction and have tests of their own.
const ipv4 = fc.tuple(fc.constantFrom(10, 100, 172, 192, 203), octet, octet, octet).map((p) => p.join('.'))
  .filter((address) => !CLOUD_METADATA_ADDRESSES.includes(address));
const port = fc.integer({ min: 1, max: 65535 });

describe('property: the network and data constructs stay finding-free for generated valid props', () => {
  test('DefaultDenyNamespace, EgressAllowlist and ExternalMongoService', () => {
    const manifests: any[] = [];
    fc.assert(fc.property(
      fc.record({
        pods: fc.integer({ min: 0, max: 500 }),
        cpu: fc.integer({ min: 1, max: 64 }),
        addresses: fc.uniqueArray(ipv4, { minLength: 1, maxLength: 3 }),
        prefix: fc.integer({ min: 8, max: 32 }),
        ports: fc.uniqueArray(port, { minLength: 1, maxLength: 3 }),
        mongoPort: port,
        istio: fc.boolean(),
      }),
      (p) => {
        const { app, chart } = testChart();
        const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop', quota: { pods: p.pods, requestsCpu: String(p.cpu), limitsCpu: String(p.cpu * 2) } });
        const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, namespace: ns });
        const mongo = new ExternalMongoService(chart, 'mongo', {
          namespace: ns, address: ExternalAddress.ip(...p.addresses), port: p.mongoPort, database: 'db', credentials: kplus.Secret.fromSecretName(chart, 'c', 'c'),
        });
        const block = `${p.addresses[0].split('.').slice(0, 1).join('.')}.0.0.0/8`;
        // A block holding a metadata address must except it (refused otherwise; tested in network/egress-allowlist.hostile.test.ts).
        const except = CLOUD_METADATA_ADDRESSES.filter((address) => cidrContains(block, address)).map((address) => `${address}/32`);
        const more = EgressTarget.cidr(block, { tcp: p.ports }, { exceptCidrs: except });
        if (p.istio) {
          // Istio mode: one allowlist (one Sidecar) per workload, listing the database too.
          new EgressAllowlist(chart, 'more', { workload: web, mode: EgressMode.ISTIO, allow: [...mongo.egressTargets, more] });
        } else {
          mongo.allowFrom(web);
          new EgressAllowlist(chart, 'more', { workload: web, allow: [more] });
        }
        manifests.push(...synth(chart));
        return Policy.report(app, ALL_PACKS).findings.length === 0;
      },
    ), { numRuns: 60 });
    expect(schemaFindings(manifests)).toEqual([]);
  });
});
