import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AdmissionPolicies, DefaultDenyNamespace, HealthProbe, ImageSigner, ImageVerification, PolicyPack, PriorityClass, SecureDeployment,
} from '../../../src';
import { synth } from '../../support/helpers';

const IMAGE = `ghcr.io/acme/web@sha256:${'0d1c2f6e3b5a4978'.repeat(4)}`;
const GITHUB = {
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'https://github.com/acme/shop/.github/workflows/release.yaml@refs/heads/main',
};

/** An app with two charts of two namespaces, each opted in to image verification and holding a pinned workload. */
function twoCharts(): { app: App; shop: Chart; billing: Chart } {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  const [shop, billing] = ['shop', 'billing'].map((namespace) => {
    new DefaultDenyNamespace(platform, namespace, { name: namespace, labels: { 'policy.sigstore.dev/include': 'true' } });
    const chart = new Chart(app, namespace, { namespace });
    new SecureDeployment(chart, 'web', { name: 'web', image: IMAGE, port: 8080, readiness: HealthProbe.http('/healthz') });
    return chart;
  });
  return { app, shop, billing };
}

/** Each of the library's constructs that emit cluster-scoped objects, built with a name (or without: its default). */
const CLUSTER_SCOPED: Array<[string, string, (scope: Construct, name?: string) => void]> = [
  ['PriorityClass', 'PriorityClass', (scope, name) => new PriorityClass(scope, 'high', { value: 1000, name })],
  ['ImageVerification', 'ClusterImagePolicy', (scope, name) => new ImageVerification(scope, 'signed', { signedBy: ImageSigner.keyless(GITHUB), name })],
  ['AdmissionPolicies', 'ValidatingAdmissionPolicy', (scope, name) => new AdmissionPolicies(scope, 'guard', { packs: [PolicyPack.RESTRICTED], name })],
];

describe('one rule for cluster-scoped objects: one kind and name once in the app (hostile: names that clash across charts)', () => {
  test.each(CLUSTER_SCOPED)('%s: one name in two charts of two namespaces fails synth, naming both paths and the fix', (_, kind, build) => {
    // GIVEN the construct with one name in the charts of shop and billing
    const { app, shop, billing } = twoCharts();
    build(shop, 'platform-high');
    build(billing, 'platform-high');
    // WHEN synthesized THEN the clash is refused: the second apply would replace the first, namespaces notwithstanding
    expect(() => app.synth()).toThrow(new RegExp(`${kind} platform-high(-[a-z-]+)? is emitted twice, by shop/[^ ]+ and billing/[^ ]+.*, and the second `
      + `would overwrite the first at apply \\(a ${kind} is cluster-scoped: charts of every namespace share it\\); give one of the constructs another name`));
  });

  test.each(CLUSTER_SCOPED)('%s: the same construct id in two charts without a name synthesizes (the default names differ)', (_, kind, build) => {
    // GIVEN the construct without a name in the charts of shop and billing
    const { app, shop, billing } = twoCharts();
    build(shop);
    build(billing);
    // WHEN synthesized THEN nothing clashes, and the names differ
    expect(() => app.synth()).not.toThrow();
    const names = [shop, billing].map((chart) => synth(chart).filter((m) => m.kind === kind).map((m) => m.metadata.name));
    expect(names[0].length).toBeGreaterThan(0);
    expect(names[0].filter((name) => names[1].includes(name))).toEqual([]);
  });

  test('two DefaultDenyNamespaces of one namespace in two charts fail synth', () => {
    // GIVEN the namespace shop declared in two charts
    const app = Testing.app();
    for (const id of ['a', 'b']) new DefaultDenyNamespace(new Chart(app, id), 'ns', { name: 'shop' });
    // WHEN synthesized THEN the Namespace is refused as a clash
    expect(() => app.synth()).toThrow(/Namespace shop is emitted twice, by a\/ns\/Namespace and b\/ns\/Namespace .*\(a Namespace is cluster-scoped/);
  });

  test('a library PriorityClass and a raw one of another chart clash, even when that chart has none of the library\'s constructs', () => {
    // GIVEN a raw PriorityClass named high in a chart of its own, and the library's PriorityClass high
    const app = Testing.app();
    new ApiObject(new Chart(app, 'legacy'), 'high', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' } });
    new PriorityClass(new Chart(app, 'platform', { namespace: 'platform' }), 'high', { value: 1000, name: 'high' });
    // WHEN synthesized THEN the clash is refused
    expect(() => app.synth()).toThrow(/PriorityClass high is emitted twice, by legacy\/high and platform\/high\/Resource/);
  });
});

describe('namespaced objects: one kind, namespace and name once in the app', () => {
  test('two charts of one namespace emitting one name fail synth', () => {
    // GIVEN a workload web in two charts of the namespace shop
    const app = Testing.app();
    for (const id of ['a', 'b']) new SecureDeployment(new Chart(app, id, { namespace: 'shop' }), 'web', { name: 'web', image: IMAGE, port: 8080 });
    // WHEN synthesized THEN the clash is refused, once for the pair of constructs
    expect(() => app.synth()).toThrow(/ServiceAccount shop\/web is emitted twice, by a\/web\/ServiceAccount and b\/web\/ServiceAccount \(and 4 more objects of a\/web and b\/web\), and the second would overwrite the first at apply; give one of the constructs another name$/m);
  });

  test('two charts of two namespaces emitting one name synthesize', () => {
    // GIVEN the workload web in the charts of shop and billing WHEN synthesized THEN nothing clashes
    expect(() => twoCharts().app.synth()).not.toThrow();
  });
});
