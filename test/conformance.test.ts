import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import {
  DefaultDenyNamespace, EgressAllowlist, EgressMode, EgressTarget, HealthProbe, Policy, PolicyPack, SecureDeployment, SecureDeploymentProps,
} from '../src';
import { schemaFindings, synth, testChart } from './support/helpers';

const ALL_PACKS = { packs: [...PolicyPack.defaults(), PolicyPack.BASELINE] };
const DIGEST = `@sha256:${'0123456789abcdef'.repeat(4)}`;

/** Every construct variant, as (chart) => void. */
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
    expect(report.scores.every((s) => s.score === 1)).toBe(true);
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
