import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as lib from '../../../src';
import { CanaryPair, DefaultDenyNamespace, ExternalAddress, ExternalMongoService, PriorityClass, SecureDeployment } from '../../../src';
import { errorOf, Manifest, synth, testChart } from '../../support/helpers';

const IMAGE = 'ghcr.io/acme/web:1.4.2';

function find(manifests: Manifest[], kind: string, name: string): Manifest | undefined {
  return manifests.find((m) => m.kind === kind && m.metadata.name === name);
}

describe('methods called after construction reach the output', () => {
  test('SecureDeployment.allow after a first synth: the next synth has the Role and mounts the token', () => {
    // GIVEN a workload, already synthesized once without grants
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { name: 'web', image: IMAGE, port: 8080 });
    expect(find(synth(chart), 'Role', 'web')).toBeUndefined();
    // WHEN it is granted access afterwards
    web.allow({ verbs: ['get'], resources: [kplus.ApiResource.CONFIG_MAPS] });
    // THEN the next synth holds the Role, and the pods mount a token
    const manifests = synth(chart);
    expect(find(manifests, 'Role', 'web')!.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
    expect(find(manifests, 'Deployment', 'web')!.spec.template.spec.automountServiceAccountToken).toBe(true);
  });

  test('SecureDeployment.allowRead twice: both grants are in the one Role', () => {
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { name: 'web', image: IMAGE, port: 8080 });
    web.allowRead(kplus.ApiResource.CONFIG_MAPS);
    web.allowRead(kplus.ApiResource.JOBS);
    expect(find(synth(chart), 'Role', 'web')!.rules.map((rule: any) => rule.resources[0])).toEqual(['configmaps', 'jobs']);
  });

  test('SecureDeployment.addEgressRule after a first synth: the next synth has the rule after DNS', () => {
    // GIVEN a synthesized workload
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { name: 'web', image: IMAGE, port: 8080 });
    const before = find(synth(chart), 'NetworkPolicy', 'web')!.spec.egress;
    // WHEN an egress rule is added
    web.addEgressRule({ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: kplus.k8s.IntOrString.fromNumber(5432) }] });
    // THEN it follows the DNS rule in the next synth
    const after = find(synth(chart), 'NetworkPolicy', 'web')!.spec.egress;
    expect(after).toEqual([...before, { to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5432 }] }]);
  });

  test('SecureDeployment.addEgressRule: a rule refused adds nothing', () => {
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { name: 'web', image: IMAGE, port: 8080 });
    expect(() => web.addEgressRule({ to: [] })).toThrow(/names no destination/);
    expect(find(synth(chart), 'NetworkPolicy', 'web')!.spec.egress).toHaveLength(1);
  });

  test('CanaryPair.allow and allowRead after construction reach both versions', () => {
    // GIVEN a canary pair
    const { chart } = testChart();
    const pair = new CanaryPair(chart, 'reco', { port: 8080, stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/web:1.5.0' }, canaryWeight: 25 });
    // WHEN both versions are granted access
    pair.allowRead(kplus.ApiResource.CONFIG_MAPS);
    pair.allow({ verbs: ['get'], resources: [kplus.ApiResource.SERVICES] });
    // THEN each version has a Role with both grants
    const roles = synth(chart).filter((m) => m.kind === 'Role');
    expect(roles.map((role) => role.metadata.name).sort()).toEqual(['reco-canary', 'reco-stable']);
    for (const role of roles) expect(role.rules.map((rule: any) => rule.resources[0])).toEqual(['configmaps', 'services']);
  });

  test('ExternalMongoService.allowFrom after construction adds the egress policy', () => {
    // GIVEN a database service and a workload, created before any connection is allowed
    const { chart } = testChart();
    const mongo = new ExternalMongoService(chart, 'mongo', {
      address: ExternalAddress.ip('10.200.0.2'), database: 'shop', credentials: kplus.Secret.fromSecretName(chart, 'creds', 'mongo'),
    });
    const web = new SecureDeployment(chart, 'web', { name: 'web', image: IMAGE, port: 8080 });
    expect(synth(chart).filter((m) => m.kind === 'NetworkPolicy')).toHaveLength(1);
    // WHEN the workload is allowed to connect
    mongo.allowFrom(web);
    // THEN a NetworkPolicy lets exactly its pods reach the address and port
    const policy = synth(chart).find((m) => m.kind === 'NetworkPolicy' && m.metadata.name !== 'web')!;
    expect(policy.spec.podSelector.matchLabels).toMatchObject({ 'app.kubernetes.io/instance': 'web' });
    expect(JSON.stringify(policy.spec.egress)).toContain('10.200.0.2/32');
    expect(JSON.stringify(policy.spec.egress)).toContain('27017');
  });
});

describe('the opening every construct shares', () => {
  test('errors name the construct kind and path', () => {
    const { chart } = testChart();
    expect(errorOf(() => new PriorityClass(chart, 'p', { value: 2_000_000_000 })).message).toMatch(/^PriorityClass shop\/p: /);
  });

  test('the namespace is the reference\'s, which the construct then depends on', () => {
    // GIVEN a namespace of the app and a chart in another namespace
    const { chart } = testChart('other');
    const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    // WHEN a workload is placed in the namespace by reference
    const web = new SecureDeployment(chart, 'web', { name: 'web', image: IMAGE, port: 8080, namespace: ns });
    // THEN its objects are in that namespace, and it is applied after the namespace
    expect(web.namespaceName).toBe('shop');
    expect(find(synth(chart), 'Deployment', 'web')!.metadata.namespace).toBe('shop');
    expect(web.node.dependencies).toContain(ns);
  });

  test('without a reference, the chart\'s namespace; a chart namespace that is no DNS label is refused', () => {
    const { chart } = testChart();
    expect(new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080 }).namespaceName).toBe('shop');
    const { chart: bad } = testChart('Shop_1');
    expect(errorOf(() => new SecureDeployment(bad, 'web', { image: IMAGE, port: 8080 })).message).toMatch(/^SecureDeployment shop\/web: the namespace of chart shop/);
  });

  test('a namespace that is not a reference is refused', () => {
    const { chart } = testChart();
    expect(errorOf(() => new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, namespace: 'shop' as any })).message)
      .toMatch(/^SecureDeployment shop\/web: namespace is a string, not a namespace reference/);
  });

  test('two constructs that emit one kind, namespace and name fail synth, naming both paths', () => {
    // GIVEN two constructs of different kinds whose objects share a name
    const { app, chart } = testChart();
    new SecureDeployment(chart, 'web', { name: 'reco-stable', image: IMAGE, port: 8080 });
    new CanaryPair(chart, 'reco', { port: 8080, stable: { image: IMAGE }, canary: { image: 'ghcr.io/acme/web:1.5.0' }, canaryWeight: 25 });
    // WHEN THEN synth names the object and both construct paths
    // (one error for the pair of constructs, naming the first object they share and counting the others)
    expect(() => app.synth()).toThrow(/ServiceAccount shop\/reco-stable is emitted twice, by shop\/web\/ServiceAccount and shop\/reco\/stable\/ServiceAccount \(and 3 more objects of shop\/web and shop\/reco\/stable\)/);
  });

  test('the check is added to the app once, whatever the number of constructs and charts', () => {
    const { app, chart } = testChart();
    new SecureDeployment(chart, 'a', { image: IMAGE, port: 8080 });
    new SecureDeployment(new Chart(app, 'billing', { namespace: 'billing' }), 'b', { image: IMAGE, port: 8080 });
    expect(app.node.children.filter((child) => child.node.id === 'cdk8s-hardened.UniqueObjects')).toHaveLength(1);
    expect(chart.node.tryFindChild('cdk8s-hardened.UniqueObjects')).toBeUndefined();
  });
});

test('every construct of the library that emits objects stands on the base', () => {
  // GIVEN the exported classes that are constructs
  const constructs = Object.entries(lib as { [name: string]: unknown })
    .filter((entry): entry is [string, Function] => typeof entry[1] === 'function' && entry[1].prototype instanceof Construct && entry[1] !== lib.HardenedConstruct && entry[1] !== lib.HardenedApp);
  // THEN (the App aside) all but Prerequisite (a declaration of an object the platform provides, possibly at app level, emitting nothing)
  // and ReachabilityEndpoint (a query peer outside any app: an address, a host, cluster DNS; it emits nothing) extend HardenedConstruct
  expect(constructs.filter(([, value]) => !(value.prototype instanceof lib.HardenedConstruct)).map(([name]) => name)).toEqual(['Prerequisite', 'ReachabilityEndpoint']);
  expect(constructs.length).toBeGreaterThanOrEqual(10);
});
