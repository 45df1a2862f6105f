import * as kplus from 'cdk8s-plus-27';
import { CanaryPair, CanaryPairProps, CanaryRouting, Policy } from '../../../src';
import { Manifest, podSpec, schemaFindings, synth, testChart } from '../../support/helpers';

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
    ['weight above 100', { canaryWeight: 101 }, /CanaryPair shop\/reco: canaryWeight 101 is not a whole number from 0 to 100/],
    ['negative weight', { canaryWeight: -5 }, /canaryWeight -5 is not a whole number from 0 to 100/],
    ['a ratio the replicas cannot represent', { canaryWeight: 30, routing: CanaryRouting.replicas() },
      /replicas stable 3 \/ canary 1 give the canary 25% of the traffic, not canaryWeight 30%; use replica counts such as stable 7 \/ canary 3, stable 14 \/ canary 6.*or set canaryWeight to 25/],
    ['identical versions', { canary: { image: STABLE.image, replicas: 1 } }, /stable and canary are identical \(image "quay.io\/acme\/reco:1.0.0", same configuration\)/],
    ['a regex that does not compile', { routing: CanaryRouting.istio({ matchHeaders: [{ name: 'user-agent', regex: '.*(Safari' }] }) },
      /header regex of "user-agent" \(CanaryRouting.istio matchHeaders\[0\]\) ".*\(Safari" is not valid RE2.*never closed/],
    ['a regex RE2 cannot run', { routing: CanaryRouting.istio({ matchHeaders: [{ name: 'user-agent', regex: '(?!bot).*' }] }) }, /look-ahead `\(\?!b` is not supported by RE2/],
    ['a header match with two kinds', { routing: CanaryRouting.istio({ matchHeaders: [{ name: 'x', exact: 'a', prefix: 'b' }] }) }, /sets 2 of exact, prefix, regex/],
    ['a latest image', { canary: { image: 'quay.io/acme/reco:latest' } }, /shop\/reco\/canary: image "quay.io\/acme\/reco:latest" uses the mutable tag/],
  ])('%s', (_, props, message) => {
    expect(() => pair(props)).toThrow(message);
  });

  test('identical images with different configuration are a valid pair', () => {
    expect(() => pair({ canary: { image: STABLE.image, env: { FEATURE_X: kplus.EnvValue.fromValue('on') } } })).not.toThrow();
  });
});

describe('CanaryPair hostile input', () => {
  const istioHeaders = (...matchHeaders: any[]) => ({ routing: CanaryRouting.istio({ matchHeaders }) });
  const gatewayApi = (options: any) => ({ routing: CanaryRouting.gatewayApi({ gateway: { name: 'public', namespace: 'gateways' }, ...options }) });

  test('a 63-character name gives every derived object a distinct valid name', () => {
    // GIVEN the longest valid name, WHEN synthesized with a Service per version
    const name = `reco-${'x'.repeat(56)}-a`;
    expect(name).toHaveLength(63);
    const { manifests, app } = pair({ name, ...gatewayApi({}) });
    // THEN the two Deployments (and Services) differ, fit 63 characters and never end in "-"
    const names = (kind: string) => manifests.filter((m: Manifest) => m.kind === kind).map((m: Manifest) => m.metadata.name);
    for (const kind of ['Deployment', 'Service', 'NetworkPolicy', 'PodDisruptionBudget']) {
      const [stable, canary] = names(kind);
      expect(stable).not.toBe(canary);
      for (const n of [stable, canary]) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    }
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('two long names that differ only at the end keep distinct derived names', () => {
    // GIVEN two pairs whose names share their first 60 characters
    const { chart } = testChart();
    const base = 'r'.repeat(60);
    new CanaryPair(chart, 'a', { name: `${base}aaa`, port: 8080, stable: STABLE, canary: CANARY, canaryWeight: 25 });
    new CanaryPair(chart, 'b', { name: `${base}bbb`, port: 8080, stable: STABLE, canary: CANARY, canaryWeight: 25 });
    // WHEN synthesized, THEN the four Deployments have four names
    const deployments = synth(chart).filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name);
    expect(new Set(deployments).size).toBe(4);
  });

  test('an invalid name is reported on the name prop, not on a derived name', () => {
    expect(() => pair({ name: 'Reco' })).toThrow(/CanaryPair shop\/reco: name "Reco" is not a valid DNS-1123 label/);
  });

  test('RE2 syntax JavaScript refuses is accepted: (?i), \\pL, [[:alpha:]], (?P<name>), \\Q…\\E, \\z', () => {
    // GIVEN RE2-only syntax, WHEN routed by Istio, THEN the expression is emitted as written
    const regex = '(?i)(?P<browser>safari|[[:alpha:]]+\\pL)\\Q/1.0\\E\\z';
    const { byName } = pair(istioHeaders({ name: 'user-agent', regex }));
    expect(byName('VirtualService', 'reco').spec.http[0].match[0].headers['user-agent']).toEqual({ regex });
  });

  test.each<[string, Partial<CanaryPairProps>, RegExp]>([
    ['the same header twice, differing in case (Istio would keep only one)', istioHeaders({ name: 'User-Agent', regex: '.*Safari.*' }, { name: 'user-agent', exact: 'bot' }),
      /header "user-agent" \(CanaryRouting.istio matchHeaders\[1\]\) is matched twice \(also as "User-Agent"\)/],
    ['a header Istio ignores (every request would match)', istioHeaders({ name: 'method', exact: 'POST' }), /header "method" .* is one of the keys Istio ignores/],
    ['a pseudo-header', istioHeaders({ name: ':authority', exact: 'a' }), /header name ":authority" .* is not a valid HTTP header name/],
    ['a JWT-claim key', istioHeaders({ name: '@request.auth.claims.group', exact: 'beta' }), /is not a valid HTTP header name/],
    ['an empty exact value (Istio reads it as "present")', istioHeaders({ name: 'x-beta', exact: '' }), /has an empty value/],
    ['a header with no condition', istioHeaders({ name: 'x-beta' }), /sets 0 of exact, prefix, regex/],
    ['control characters in a value', istioHeaders({ name: 'x-beta', exact: 'a\r\nb' }), /control characters/],
    ['a regex over 1024 bytes', istioHeaders({ name: 'x', regex: `${'a'.repeat(1025)}` }), /1025 bytes long, over the 1024 Istio accepts/],
    ['a back-reference', istioHeaders({ name: 'x', regex: '(a)\\1' }), /back-reference `\\1`/],
    ['\\Z', istioHeaders({ name: 'x', regex: 'a\\Z' }), /escape `\\Z`/],
    ['a repeat count over 1000', istioHeaders({ name: 'x', regex: 'a{1001}' }), /repeat count `\{1001\}`/],
    ['a bare wildcard host', gatewayApi({ hostnames: ['*'] }), /route hostname 0 "\*" is a bare wildcard/],
    ['an IP address as host', gatewayApi({ hostnames: ['10.0.0.1'] }), /"10.0.0.1" is an IP address, which the Gateway API refuses/],
    ['an IPv6 address as host', gatewayApi({ hostnames: ['fd00::1'] }), /is an IP address/],
    ['a trailing dot', gatewayApi({ hostnames: ['reco.example.com.'] }), /ends with a dot.*write "reco.example.com"/],
    ['an upper-case host', gatewayApi({ hostnames: ['Reco.example.com'] }), /not a valid DNS-1123 subdomain/],
    ['a host listed twice', gatewayApi({ hostnames: ['a.example.com', 'a.example.com'] }), /listed twice/],
    ['an invalid listener name', { routing: CanaryRouting.gatewayApi({ gateway: { name: 'public', sectionName: 'HTTPS_443' } }) }, /gateway sectionName "HTTPS_443"/],
    ['an invalid gateway namespace', { routing: CanaryRouting.gatewayApi({ gateway: { name: 'public', namespace: 'Gateways' } }) }, /gateway namespace "Gateways"/],
    ['an invalid gateway name', { routing: CanaryRouting.gatewayApi({ gateway: { name: 'Public!' } }) }, /gateway name "Public!"/],
    ['17 header matches on an HTTPRoute', gatewayApi({ matchHeaders: Array.from({ length: 17 }, (_, i) => ({ name: `x-${i}`, exact: 'y' })) }), /more than the 16/],
  ])('refused: %s', (_, props, message) => {
    // GIVEN the hostile input, WHEN the pair is built, THEN it is refused with the construct path and a fix
    expect(() => pair(props)).toThrow(message);
    expect(() => pair(props)).toThrow(/^CanaryPair shop\/reco: .+; .+/);
  });

  test('a token in a header match is refused without echoing it', () => {
    // GIVEN a bearer token matched exactly
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    let message = '';
    try {
      pair(istioHeaders({ name: 'authorization', exact: `Bearer ${token}` }));
    } catch (error: any) {
      message = error.message;
    }
    // THEN the error names the kind and position, never the value
    expect(message).toMatch(/header match "authorization" .* holds .* \(value not shown\)/);
    expect(message).not.toContain(token);
  });

  test('one canary replica is a valid pair', () => {
    const { manifests, app } = pair({ routing: CanaryRouting.istio(), canary: { ...CANARY, replicas: 1 } });
    expect(manifests.find((m) => m.metadata.name === 'reco-canary' && m.kind === 'Deployment')!.spec.replicas).toBe(1);
    expect(Policy.report(app).findings).toEqual([]);
  });
});

describe('CanaryPair from plain JavaScript', () => {
  test.each<[string, any, RegExp]>([
    ['props missing', undefined, /CanaryPair shop\/reco: props are undefined, not an object/],
    ['stable missing', { stable: undefined }, /CanaryPair shop\/reco: stable is missing, not a version/],
    ['stable a string', { stable: 'quay.io/acme/reco:1.0.0' }, /stable is a string, not a version/],
    ['stable.image a number', { stable: { image: 42 } }, /stable.image is a number, not a string/],
    ['port a string', { port: '8080' }, /port "8080" is not a whole number from 1 to 65535/],
    ['port missing', { port: undefined }, /port is missing/],
    ['routing a string', { routing: 'istio' }, /routing is a string, not a CanaryRouting/],
    ['canaryWeight NaN', { canaryWeight: NaN }, /canaryWeight NaN is not a whole number from 0 to 100/],
    ['canaryWeight a string', { canaryWeight: '25' }, /canaryWeight "25" is not a whole number/],
    ['replicas a string', { canary: { ...CANARY, replicas: '1' } }, /canary.replicas "1" is not a whole number/],
    ['env with a plain string', { canary: { ...CANARY, env: { X: 'plain string' } } }, /canary.env.X is a string, not an EnvValue/],
    ['env a list', { canary: { ...CANARY, env: ['X=1'] } }, /canary.env is a list, not a map of EnvValues/],
    ['args a string', { canary: { ...CANARY, args: '--fast' } }, /canary.args is a string, not a list of strings/],
    ['header matches a string', { routing: CanaryRouting.istio({ matchHeaders: 'user-agent' as any }) }, /CanaryRouting.istio matchHeaders is a string, not a list/],
    ['a header name a number', { routing: CanaryRouting.istio({ matchHeaders: [{ name: 7, exact: 'a' } as any] }) }, /matchHeaders\[0\].name is a number, not a string/],
    ['mirror a string', { routing: CanaryRouting.istio({ mirror: 'yes' as any }) }, /CanaryRouting.istio mirror is a string, not true or false/],
    ['gateway missing', { routing: CanaryRouting.gatewayApi({} as any) }, /CanaryRouting.gatewayApi gateway is undefined, not an object/],
    ['hostnames a string', { routing: CanaryRouting.gatewayApi({ gateway: { name: 'public' }, hostnames: 'a.example.com' as any }) }, /route hostnames is a string, not a list of strings/],
  ])('%s', (_, props, message) => {
    // GIVEN props a JavaScript caller could pass, WHEN the pair is built, THEN a construct-path error, never a TypeError
    const { chart } = testChart();
    const build = () => new CanaryPair(chart, 'reco', props === undefined ? undefined : { port: 8080, stable: STABLE, canary: CANARY, canaryWeight: 25, ...props });
    expect(build).toThrow(message);
    expect(build).not.toThrow(TypeError);
  });
});

describe('CanaryPair metrics and API grants reach both versions', () => {
  test('metrics: a monitor per version selecting exactly its pods, Prometheus let in on the metrics port', () => {
    // GIVEN a pair with metrics on 9090 (replica routing: one Service over both versions, so each version gets a PodMonitor)
    const { app, manifests } = pair({ routing: CanaryRouting.replicas(), metrics: { port: 9090 } });
    // THEN one monitor per version, each selecting its own instance
    const monitors = manifests.filter((m) => m.kind === 'PodMonitor' || m.kind === 'ServiceMonitor');
    expect(monitors.map((m) => [m.kind, m.metadata.name, m.spec.selector.matchLabels['app.kubernetes.io/instance']])).toEqual([
      ['PodMonitor', 'reco-stable', 'reco-stable'], ['PodMonitor', 'reco-canary', 'reco-canary'],
    ]);
    // AND each version's NetworkPolicy admits Prometheus on 9090
    for (const policy of manifests.filter((m) => m.kind === 'NetworkPolicy')) {
      expect(policy.spec.ingress.some((rule: any) => rule.ports?.[0]?.port === 9090)).toBe(true);
    }
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('allowRead: each version gets its Role and RoleBinding, and mounts a token', () => {
    // GIVEN a pair that may read ConfigMaps
    const { chart, reco } = pair({ routing: CanaryRouting.replicas() });
    reco.allowRead(kplus.ApiResource.CONFIG_MAPS);
    const manifests = synth(chart);
    // THEN both versions have the grant, bound to their own ServiceAccounts
    expect(manifests.filter((m) => m.kind === 'RoleBinding').map((m) => m.subjects[0].name)).toEqual(['reco-stable', 'reco-canary']);
    expect(manifests.filter((m) => m.kind === 'Deployment').map((m) => podSpec(m).automountServiceAccountToken)).toEqual([true, true]);
  });
});
