// Istio as a namespace's mesh: STRICT mTLS, allow-nothing, and per-workload ALLOW policies from the declared peers.
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { DefaultDenyNamespace, NamespaceMesh, Policy, PolicyPack, PostgresDatabase, SecureDeployment } from '../../../src';
import { errorOf, Manifest, synth, testChart } from '../../support/helpers';
import { IMAGE } from '../../support/workloads';

function meshed(mesh: NamespaceMesh = NamespaceMesh.istioSidecar()) {
  const { app, chart } = testChart();
  const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop', mesh });
  return { app, chart, ns };
}

const of = (manifests: Manifest[], kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name)!;

describe('DefaultDenyNamespace with a mesh', () => {
  test('sidecar: injection label, STRICT PeerAuthentication, allow-nothing AuthorizationPolicy', () => {
    // GIVEN / WHEN
    const { chart } = meshed();
    const manifests = synth(chart);
    // THEN
    expect(of(manifests, 'Namespace', 'shop').metadata.labels['istio-injection']).toEqual('enabled');
    expect(of(manifests, 'PeerAuthentication', 'default').spec).toEqual({ mtls: { mode: 'STRICT' } });
    const allowNothing = of(manifests, 'AuthorizationPolicy', 'allow-nothing');
    expect(allowNothing.apiVersion).toEqual('security.istio.io/v1');
    expect(allowNothing.spec).toEqual({});
  });

  test('ambient: the dataplane-mode label; a revision labels istio.io/rev', () => {
    const ambient = synth(meshed(NamespaceMesh.istioAmbient()).chart);
    expect(of(ambient, 'Namespace', 'shop').metadata.labels['istio.io/dataplane-mode']).toEqual('ambient');
    const revision = synth(meshed(NamespaceMesh.istioSidecar({ revision: '1-30-3' })).chart);
    expect(of(revision, 'Namespace', 'shop').metadata.labels['istio.io/rev']).toEqual('1-30-3');
    expect(of(revision, 'Namespace', 'shop').metadata.labels['istio-injection']).toBeUndefined();
  });

  test('mesh labels given by hand are refused with a mesh', () => {
    const { chart } = testChart();
    expect(() => new DefaultDenyNamespace(chart, 'ns', { name: 'shop', mesh: NamespaceMesh.istioSidecar(), labels: { 'istio.io/dataplane-mode': 'ambient' } }))
      .toThrow(/DefaultDenyNamespace shop\/ns: label "istio.io\/dataplane-mode" chooses the namespace's mesh dataplane.*remove the label/);
  });

  test('a malformed trust domain or revision is refused', () => {
    const { chart } = testChart();
    expect(() => new DefaultDenyNamespace(chart, 'ns', { name: 'shop', mesh: NamespaceMesh.istioSidecar({ trustDomain: 'Example.COM/x' }) }))
      .toThrow(/trustDomain "Example.COM\/x" of NamespaceMesh.istioSidecar is not a trust domain/);
    expect(() => new DefaultDenyNamespace(chart, 'ns2', { name: 'shop2', mesh: NamespaceMesh.istioSidecar({ revision: 'A_B' }) }))
      .toThrow(/revision "A_B"/);
  });
});

describe('workloads in a meshed namespace', () => {
  test('the default peers (the namespace) become namespaces, on the container port', () => {
    // GIVEN
    const { chart, ns } = meshed();
    // WHEN
    new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, namespace: ns });
    // THEN
    const policy = of(synth(chart), 'AuthorizationPolicy', 'web');
    expect(policy.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/instance': 'web' } },
      action: 'ALLOW',
      rules: [{ from: [{ source: { namespaces: ['shop'] } }], to: [{ operation: { ports: ['8080'] } }] }],
    });
  });

  test('a workload peer becomes its ServiceAccount principal, in the trust domain given; namespaces by name', () => {
    // GIVEN
    const { chart, ns } = meshed(NamespaceMesh.istioSidecar({ trustDomain: 'acme.internal' }));
    const frontend = new SecureDeployment(chart, 'frontend', { image: IMAGE, port: 8080, namespace: ns });
    const edge = kplus.Namespaces.select(chart, 'edge', { names: ['edge'] });
    // WHEN
    new SecureDeployment(chart, 'api', { image: IMAGE, port: 9000, namespace: ns, allowIngressFrom: [frontend, edge] });
    // THEN
    const policy = of(synth(chart), 'AuthorizationPolicy', 'api');
    expect(policy.spec.rules).toEqual([{
      from: [{ source: { principals: ['acme.internal/ns/shop/sa/frontend'] } }, { source: { namespaces: ['edge'] } }],
      to: [{ operation: { ports: ['9000'] } }],
    }]);
  });

  test('peers added later (PostgresDatabase.allowFrom) reach the AuthorizationPolicy', () => {
    // GIVEN
    const { chart, ns } = meshed();
    const web = new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, namespace: ns });
    const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'db-credentials');
    const db = new PostgresDatabase(chart, 'db', { image: 'postgres:17.2', database: 'app', credentials, storage: { size: Size.gibibytes(10) }, namespace: ns });
    // WHEN
    db.allowFrom(web);
    // THEN
    const policy = of(synth(chart), 'AuthorizationPolicy', 'db');
    expect(policy.spec.rules).toEqual([{
      from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }],
      to: [{ operation: { ports: ['5432'] } }],
    }]);
  });

  test('a bare pod selector cannot be mapped to a mesh identity, and is refused with the fix', () => {
    const { chart, ns } = meshed();
    const pods = kplus.Pods.select(chart, 'pods', { labels: { role: 'client' } });
    const error = errorOf(() => new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, namespace: ns, allowIngressFrom: [pods] }));
    expect(error.message).toMatch(/SecureDeployment shop\/web: in a namespace with a mesh, allowIngressFrom\[0\] shop\/pods selects pods or namespaces by labels/);
    expect(error.message).toMatch(/name the workload itself/);
    // Without a mesh it stays a NetworkPolicy peer.
    const { chart: plain } = testChart();
    expect(() => new SecureDeployment(plain, 'web', { image: IMAGE, port: 8080, allowIngressFrom: [kplus.Pods.select(plain, 'pods', { labels: { role: 'client' } })] })).not.toThrow();
  });

  test('an annotation turning off the probe rewrite is refused', () => {
    const { chart, ns } = meshed();
    expect(() => new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, namespace: ns, podAnnotations: { 'sidecar.istio.io/rewriteAppHTTPProbers': 'false' } }))
      .toThrow(/annotation "sidecar.istio.io\/rewriteAppHTTPProbers": "false" turns off the Istio sidecar's rewrite.*remove it/);
  });

  test('metrics: Prometheus outside the mesh gets a port-level exception with a selector; on the serving port it is refused', () => {
    // GIVEN / WHEN
    const { chart, ns } = meshed();
    new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, namespace: ns, metrics: { port: 9090 } });
    const manifests = synth(chart);
    // THEN
    expect(of(manifests, 'PeerAuthentication', 'web-metrics').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/instance': 'web' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 9090: { mode: 'PERMISSIVE' } },
    });
    expect(of(manifests, 'AuthorizationPolicy', 'web').spec.rules[1]).toEqual({ from: [{ source: { notPrincipals: ['*'] } }], to: [{ operation: { ports: ['9090'] } }] });
    const { chart: other, ns: ns2 } = meshed();
    expect(() => new SecureDeployment(other, 'web', { image: IMAGE, port: 8080, namespace: ns2, metrics: { port: 8080 } }))
      .toThrow(/metrics are served on the serving port 8080.*serve metrics on a port of their own/);
  });

  test('metrics: a Prometheus in the mesh is admitted by its principal, and the port stays STRICT', () => {
    const { chart, ns } = meshed();
    new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, namespace: ns, metrics: { port: 8080, prometheusServiceAccount: 'prometheus' } });
    const manifests = synth(chart);
    expect(manifests.filter((m) => m.kind === 'PeerAuthentication').map((m) => m.metadata.name)).toEqual(['default']);
    expect(of(manifests, 'AuthorizationPolicy', 'web').spec.rules[1].from).toEqual([{ source: { principals: ['cluster.local/ns/monitoring/sa/prometheus'] } }]);
  });

  test('ambient: the NetworkPolicy admits the same peers on HBONE 15008', () => {
    const { chart, ns } = meshed(NamespaceMesh.istioAmbient());
    new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, namespace: ns });
    const policy = synth(chart).find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'web')!;
    expect(policy.spec.ingress).toEqual([
      { from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 8080 }] },
      { from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 15008 }] },
    ]);
  });

  test('the output passes the default packs with zero findings', () => {
    const { app, chart, ns } = meshed();
    const frontend = new SecureDeployment(chart, 'frontend', { image: IMAGE, port: 8080, namespace: ns, metrics: { port: 9090 } });
    new SecureDeployment(chart, 'api', { image: IMAGE, port: 9000, namespace: ns, allowIngressFrom: [frontend] });
    expect(Policy.report(app, { packs: [...PolicyPack.defaults()] }).findings).toEqual([]);
  });
});
