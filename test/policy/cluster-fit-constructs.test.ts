import { mkdtempSync, readdirSync, existsSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  CanaryPair, CanaryRouting, DefaultDenyNamespace, ExternalAddress, ExternalMongoService,
  FlywayMigrationJob, HealthProbe, Migrations, Policy, PolicyPack, SecureDeployment,
} from '../../src';
import { CLUSTER_FIT_RULES } from '../../src/policy/rules/cluster';
import { testChart } from '../support/helpers';

// The cluster-fit rules over the repository's own output: every example app and the constructs in their
// main variants, in namespaces with and without a DefaultDenyNamespace (its ResourceQuota and LimitRange).

const CLUSTER_FIT = { packs: [PolicyPack.of('cluster-fit', CLUSTER_FIT_RULES)] };
const CLUSTER_FIT_IDS = new Set(CLUSTER_FIT_RULES.map((r) => r.id));

/** Findings (acknowledged or not: acknowledging another rule must not hide these) as `[rule] path: message`. */
function clusterFindings(app: App): string[] {
  const report = Policy.report(app, CLUSTER_FIT);
  return [...report.findings, ...report.acknowledged].filter((f) => CLUSTER_FIT_IDS.has(f.ruleId)).map((f) => `[${f.ruleId}] ${f.path}: ${f.message}`);
}

/**
 * Findings on our own output that the rules report and that are expected until the constructs change.
 * Each is exact: a change of the output (fixed, or a new problem) fails the test.
 */
const KNOWN: { [example: string]: string[] } = {};

const examplesDir = path.join(__dirname, '..', '..', 'examples');
const examples = readdirSync(examplesDir).filter((name) => existsSync(path.join(examplesDir, name, 'main.ts')));

describe.each(examples)('examples/%s', (name) => {
  test('the cluster would accept it as it is', () => {
    // GIVEN the example app, synthesized into a scratch folder; the example's Policy.enforce (the default
    // packs, which test/examples.test.ts checks) is left out so that only the cluster-fit rules judge here
    process.env.CDK8S_OUTDIR = mkdtempSync(path.join(tmpdir(), `cluster-fit-${name}-`));
    const enforce = jest.spyOn(Policy, 'enforce').mockImplementation(() => undefined);
    let app: App;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- an example synthesizes when loaded
      app = (require(path.join(examplesDir, name, 'main.ts')) as { app: App }).app;
    } finally {
      enforce.mockRestore();
    }
    // WHEN the cluster-fit rules judge it
    // THEN it has no finding but the known ones
    expect(clusterFindings(app)).toEqual(KNOWN[name] ?? []);
  });
});

describe('the acknowledged LoadBalancer of examples/existing-app', () => {
  test('would be refused in a DefaultDenyNamespace, and acknowledging NSA-SERVICE-EXPOSURE does not hide that', () => {
    // GIVEN the example's chart (loaded above), placed in a DefaultDenyNamespace (quota: no LoadBalancer, no node port)
    const enforce = jest.spyOn(Policy, 'enforce').mockImplementation(() => undefined);
    let LegacyShopChart: any;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example's chart class
      LegacyShopChart = require(path.join(examplesDir, 'existing-app', 'main.ts')).LegacyShopChart;
    } finally {
      enforce.mockRestore();
    }
    const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'cluster-fit-legacy-')) });
    const chart = new LegacyShopChart(app, 'legacy-shop', { namespace: 'legacy-shop' });
    new DefaultDenyNamespace(chart, 'ns', { name: 'legacy-shop' });
    // THEN the cluster refuses the Service for both quota lines, whatever the exposure acknowledgement says
    expect(clusterFindings(app)).toEqual([
      '[K8S-QUOTA-SERVICE-TYPE] legacy-shop/web/legacy-shopService/Resource: ResourceQuota/legacy-shop/default-quota allows services.loadbalancers 0 '
        + '(no earlier Service of the set takes any); this Service needs 1 (it is of type LoadBalancer): the API server refuses it (exceeded quota)',
      '[K8S-QUOTA-SERVICE-TYPE] legacy-shop/web/legacy-shopService/Resource: ResourceQuota/legacy-shop/default-quota allows services.nodeports 0 '
        + '(no earlier Service of the set takes any); this Service needs 1 (a LoadBalancer Service takes a node port for each of its 1 port unless '
        + 'allocateLoadBalancerNodePorts is false): the API server refuses it (exceeded quota)',
    ]);
    expect(Policy.report(app, CLUSTER_FIT).errors.map((f) => f.ruleId)).toEqual(['K8S-QUOTA-SERVICE-TYPE', 'K8S-QUOTA-SERVICE-TYPE']);
  });
});

describe('constructs in their main variants fit a cluster', () => {
  test('SecureDeployment: defaults, fixed replicas, autoscaled, worker, in a DefaultDenyNamespace', () => {
    // GIVEN every variant in one default-deny namespace (its quota and LimitRange apply to all)
    const { app, chart } = testChart();
    const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, namespace: ns });
    new SecureDeployment(chart, 'one', { image: 'ghcr.io/acme/one:1.0.0', port: 8080, replicas: 1, namespace: ns });
    new SecureDeployment(chart, 'api', {
      image: 'ghcr.io/acme/api:1.0.0', port: 9000, namespace: ns, autoscaling: { minReplicas: 2, maxReplicas: 8, memoryTargetPercent: 75 },
    });
    new SecureDeployment(chart, 'min1', {
      image: 'ghcr.io/acme/min1:1.0.0', port: 9000, namespace: ns, autoscaling: { minReplicas: 1, maxReplicas: 3, cpuTargetPercent: 80 },
    });
    new SecureDeployment(chart, 'worker', { image: 'ghcr.io/acme/worker:1.0.0', namespace: ns, liveness: HealthProbe.exec(['/bin/healthy']) });
    new SecureDeployment(chart, 'paths', { image: 'ghcr.io/acme/p:1.0.0', port: 8080, namespace: ns, user: 1000, group: 3000, writablePaths: ['/run'] });
    // THEN the cluster-fit rules find nothing
    expect(clusterFindings(app)).toEqual([]);
  });

  test('an external database and its migration jobs, in a DefaultDenyNamespace', () => {
    const { app, chart } = testChart();
    const ns = new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'db');
    const mongo = new ExternalMongoService(chart, 'mongo', {
      namespace: ns, address: ExternalAddress.ip('10.200.0.2', 'fd00::2'), database: 'dev', credentials,
    });
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, env: mongo.env(), namespace: ns });
    mongo.allowFrom(web);
    new ExternalMongoService(chart, 'mongo-ext', { namespace: ns, address: ExternalAddress.hostname('mongo.example.com'), database: 'dev', credentials });
    const dir = mkdtempSync(path.join(tmpdir(), 'sql-'));
    writeFileSync(path.join(dir, 'V1__init.sql'), 'CREATE TABLE t (id INT);');
    new FlywayMigrationJob(chart, 'migrate', {
      namespace: ns, jdbcUrl: 'jdbc:postgresql://postgresql:5432/db', credentials, migrations: Migrations.fromDirectory(dir),
    });
    new FlywayMigrationJob(chart, 'migrate-img', {
      namespace: ns, jdbcUrl: 'jdbc:postgresql://10.0.0.5/db', credentials, migrations: Migrations.fromImage('quay.io/acme/m:1.0.0'),
    });
    expect(clusterFindings(app)).toEqual([]);
  });

  test.each([
    ['replicas', CanaryRouting.replicas()],
    ['istio', CanaryRouting.istio({ matchHeaders: [{ name: 'user-agent', regex: '.*Safari.*' }], mirror: true })],
    ['gateway api', CanaryRouting.gatewayApi({ gateway: { name: 'public', namespace: 'gateways' }, mirror: true })],
  ])('a canary pair with %s routing, in a DefaultDenyNamespace', (_, routing) => {
    const { app, chart } = testChart();
    const namespace = new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    new CanaryPair(chart, 'reco', {
      namespace,
      port: 8080,
      stable: { image: 'quay.io/acme/reco:1.0.0', replicas: 6 },
      canary: { image: 'quay.io/acme/reco:1.2.0', replicas: 2 },
      canaryWeight: 25,
      routing,
    });
    expect(clusterFindings(app)).toEqual([]);
  });

  test('a canary pair at weight 0 and 100 (one version deployed)', () => {
    const { app, chart } = testChart();
    const namespace = new DefaultDenyNamespace(chart, 'ns', { name: 'shop' });
    for (const [id, weight] of [['dark', 0], ['done', 100]] as const) {
      new CanaryPair(chart, id, {
        namespace,
        port: 8080,
        stable: { image: 'quay.io/acme/reco:1.0.0' },
        canary: { image: 'quay.io/acme/reco:1.2.0' },
        canaryWeight: weight,
        routing: CanaryRouting.istio(),
      });
    }
    expect(clusterFindings(app)).toEqual([]);
  });
});
