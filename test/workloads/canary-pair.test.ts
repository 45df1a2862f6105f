import * as kplus from 'cdk8s-plus-27';
import { CanaryPair, CanaryPairProps, CanaryRouting, Policy } from '../../src';
import { podSpec, schemaFindings, synth, testChart } from '../support/helpers';

const STABLE = { image: 'quay.io/acme/reco:1.0.0', replicas: 3 };
const CANARY = { image: 'quay.io/acme/reco:1.2.0', replicas: 1 };

function pair(props: Partial<CanaryPairProps> = {}) {
  const { app, chart } = testChart();
  const reco = new CanaryPair(chart, 'reco', { port: 8080, stable: STABLE, canary: CANARY, canaryWeight: 25, ...props });
  const manifests = synth(chart);
  const byName = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name)!;
  return { app, chart, reco, manifests, byName };
}

describe('CanaryPair, replica routing', () => {
  const { app, manifests, byName } = pair({ routing: CanaryRouting.replicas() });

  test('two hardened versions and one Service over both (snapshot)', () => {
    expect(manifests).toMatchSnapshot();
    expect(manifests.filter((m) => m.kind === 'Deployment').map((m) => [m.metadata.name, m.spec.replicas])).toEqual([['reco-stable', 3], ['reco-canary', 1]]);
    expect(manifests.filter((m) => m.kind === 'Service').map((m) => m.metadata.name)).toEqual(['reco']);
    expect(byName('Service', 'reco').spec.selector).toEqual({ 'app.kubernetes.io/name': 'reco' });
  });

  test('both versions: app and version labels, surge-only rollouts, readiness probes, the baseline', () => {
    for (const track of ['stable', 'canary']) {
      const deployment = byName('Deployment', `reco-${track}`);
      expect(deployment.spec.template.metadata.labels).toMatchObject({ 'app': 'reco', 'version': track, 'app.kubernetes.io/name': 'reco' });
      expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
      const container = podSpec(deployment).containers[0];
      expect(container.readinessProbe).toBeDefined();
      expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    }
  });

  test('schema-valid with zero findings', () => {
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('promotion is a props change: weight 0 deploys only stable, 100 only canary', () => {
    const kinds = (weight: number, replicas = { s: 3, c: 1 }) =>
      pair({
        routing: CanaryRouting.replicas(),
        canaryWeight: weight,
        stable: { ...STABLE, replicas: replicas.s },
        canary: { ...CANARY, replicas: replicas.c },
      })
        .manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name);
    expect(kinds(0)).toEqual(['reco-stable']);
    expect(kinds(25)).toEqual(['reco-stable', 'reco-canary']);
    expect(kinds(100)).toEqual(['reco-canary']);
  });
});

describe('CanaryPair, Istio routing', () => {
  test('subsets per version and weights summing to 100 (snapshot)', () => {
    const { manifests, byName } = pair({ routing: CanaryRouting.istio() });
    const istioObjects = manifests.filter((m) => m.apiVersion === 'networking.istio.io/v1');
    expect(istioObjects).toMatchSnapshot();
    expect(byName('DestinationRule', 'reco').spec.subsets).toEqual([
      { name: 'stable', labels: { version: 'stable' } }, { name: 'canary', labels: { version: 'canary' } },
    ]);
    const route = byName('VirtualService', 'reco').spec.http[0].route;
    expect(route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['stable', 75], ['canary', 25]]);
    expect(route.reduce((sum: number, r: any) => sum + r.weight, 0)).toBe(100);
    expect(schemaFindings(manifests)).toEqual([]);
  });

  test('header routes send matching requests to the canary first', () => {
    const { byName } = pair({ routing: CanaryRouting.istio({ matchHeaders: [{ name: 'User-Agent', regex: '.*Safari.*' }, { name: 'x-beta', exact: 'yes' }] }) });
    const http = byName('VirtualService', 'reco').spec.http;
    expect(http[0]).toEqual({
      name: 'canary-by-header',
      match: [{ headers: { 'user-agent': { regex: '.*Safari.*' }, 'x-beta': { exact: 'yes' } } }],
      route: [{ destination: { host: 'reco.shop.svc.cluster.local', subset: 'canary' } }],
    });
    expect(http[1].name).toBe('weighted');
  });

  test('dark launch: weight 0 plus mirroring', () => {
    const { byName, manifests } = pair({ canaryWeight: 0, routing: CanaryRouting.istio({ mirror: true }) });
    expect(manifests.filter((m) => m.kind === 'Deployment')).toHaveLength(2);
    expect(byName('VirtualService', 'reco').spec.http[0]).toEqual({
      name: 'weighted',
      route: [{ destination: { host: 'reco.shop.svc.cluster.local', subset: 'stable' }, weight: 100 }],
      mirror: { host: 'reco.shop.svc.cluster.local', subset: 'canary' },
      mirrorPercentage: { value: 100 },
    });
  });

  test('any weight, whatever the replicas', () => {
    const { byName } = pair({ canaryWeight: 7, routing: CanaryRouting.istio() });
    expect(byName('VirtualService', 'reco').spec.http[0].route.map((r: any) => r.weight)).toEqual([93, 7]);
  });
});

describe('CanaryPair, Gateway API routing', () => {
  const routing = CanaryRouting.gatewayApi({
    gateway: { name: 'public', namespace: 'gateways', sectionName: 'https' },
    hostnames: ['reco.example.com'],
    matchHeaders: [{ name: 'user-agent', prefix: 'Mozilla/5.0 (Macintosh' }],
    mirror: true,
  });
  const { manifests, byName, app } = pair({ routing });

  test('a Service per version and a weighted HTTPRoute with header match and mirror (snapshot)', () => {
    expect(byName('HTTPRoute', 'reco')).toMatchSnapshot();
    expect(manifests.filter((m) => m.kind === 'Service').map((m) => m.metadata.name)).toEqual(['reco-stable', 'reco-canary']);
    const rules = byName('HTTPRoute', 'reco').spec.rules;
    expect(rules[0].matches[0].headers).toEqual([{ type: 'RegularExpression', name: 'user-agent', value: '^Mozilla/5\\.0 \\(Macintosh.*' }]);
    expect(rules[1].backendRefs).toEqual([{ name: 'reco-stable', port: 8080, weight: 75 }, { name: 'reco-canary', port: 8080, weight: 25 }]);
    expect(rules[1].filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'reco-canary', port: 8080 } } }]);
  });

  test('the Gateway namespace may reach the pods', () => {
    const ingress = byName('NetworkPolicy', 'reco-canary').spec.ingress[0].from;
    expect(ingress).toContainEqual({ podSelector: {}, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } });
    expect(ingress).toContainEqual({ podSelector: {} });
  });

  test('schema-valid (Gateway API) with zero findings', () => {
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });
});

describe('CanaryPair bad input', () => {
  test.each<[string, Partial<CanaryPairProps>, RegExp]>([
    ['weight above 100', { canaryWeight: 101 }, /CanaryPair shop\/reco: canaryWeight 101 is outside 0–100/],
    ['negative weight', { canaryWeight: -5 }, /canaryWeight -5 is outside 0–100/],
    ['a ratio the replicas cannot represent', { canaryWeight: 30, routing: CanaryRouting.replicas() },
      /replicas stable 3 \/ canary 1 give the canary 25% of the traffic, not canaryWeight 30%; use replica counts such as stable 7 \/ canary 3, stable 14 \/ canary 6.*or set canaryWeight to 25/],
    ['identical versions', { canary: { image: STABLE.image, replicas: 1 } }, /stable and canary are identical \(image "quay.io\/acme\/reco:1.0.0", same configuration\)/],
    ['a regex that does not compile', { routing: CanaryRouting.istio({ matchHeaders: [{ name: 'user-agent', regex: '.*(Safari' }] }) },
      /header regex ".*\(Safari" does not compile/],
    ['a regex RE2 cannot run', { routing: CanaryRouting.istio({ matchHeaders: [{ name: 'user-agent', regex: '(?!bot).*' }] }) }, /look-around or back-references/],
    ['a header match with two kinds', { routing: CanaryRouting.istio({ matchHeaders: [{ name: 'x', exact: 'a', prefix: 'b' }] }) }, /sets 2 of exact, prefix, regex/],
    ['a latest image', { canary: { image: 'quay.io/acme/reco:latest' } }, /shop\/reco\/canary: image "quay.io\/acme\/reco:latest" uses the mutable tag/],
  ])('%s', (_, props, message) => {
    expect(() => pair(props)).toThrow(message);
  });

  test('identical images with different configuration are a valid pair', () => {
    expect(() => pair({ canary: { image: STABLE.image, env: { FEATURE_X: kplus.EnvValue.fromValue('on') } } })).not.toThrow();
  });
});
