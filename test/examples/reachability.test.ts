// The talk's intent for the examples, stated as reachability: who reaches whom, through every layer the manifests hold
// (NetworkPolicy, CiliumNetworkPolicy, Istio REGISTRY_ONLY Sidecars).
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Reachability, ReachabilityEndpoint } from '../../src';
import { EXAMPLES_DIR, exampleNames } from '../support/examples';

/** The example's app, synthesized into a scratch folder. */
function exampleApp(name: string): App {
  process.env.CDK8S_OUTDIR = mkdtempSync(path.join(tmpdir(), `reach-${name}-`));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an example synthesizes when loaded
  return (require(path.join(EXAMPLES_DIR, name, 'main.ts')) as { app: App }).app;
}

/** The construct at a path of the app (`shop-dev/web`). */
function at(app: App, constructPath: string): IConstruct {
  const found = app.node.findAll().find((c) => c.node.path === constructPath);
  if (!found) throw new Error(`no construct at ${constructPath}`);
  return found;
}

/** The objects of the app that run pods (Deployments, StatefulSets, Jobs, …), whatever construct made them. */
function workloadObjects(app: App): ApiObject[] {
  return app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod'].includes(c.kind));
}

const METADATA = ReachabilityEndpoint.address('169.254.169.254');
const DNS = ReachabilityEndpoint.clusterDns();

describe('web-app: web reaches its Mongo on 27017, the payment API on 443, DNS, and nothing else outside its namespace', () => {
  const app = exampleApp('web-app');
  const reach = Reachability.of(app);

  test.each(['shop-dev', 'shop-prod', 'shop-edge'])('%s: web reaches the Mongo of its environment on TCP 27017 only', (env) => {
    // GIVEN the web tier and the Mongo of one environment
    const web = at(app, `${env}/web`);
    const mongo = at(app, `${env}/mongo`);
    // THEN web reaches it on 27017, and on no other port
    reach.assertCanReach(web, mongo, { port: 27017 });
    reach.assertCannotReach(web, mongo, { port: 27018 });
    reach.assertCannotReach(web, mongo, { port: 27017, protocol: 'UDP' });
  });

  test.each(['shop-dev', 'shop-prod', 'shop-edge'])('%s: web reaches the payment API by name on 443 and nothing else outside', (env) => {
    const web = at(app, `${env}/web`);
    // THEN the payment host on 443 (Istio: ServiceEntry; Cilium: toFQDNs) and not on 80, nor another host
    reach.assertCanReach(web, ReachabilityEndpoint.host('api.payments.example.com'), { port: 443 });
    reach.assertCannotReach(web, ReachabilityEndpoint.host('api.payments.example.com'), { port: 80 });
    reach.assertCannotReach(web, ReachabilityEndpoint.host('evil.example.com'));
    // AND no other address: public, private, the other environments' databases
    for (const address of ['8.8.8.8', '1.1.1.1', '10.0.0.1', '10.200.0.2', '10.100.0.9', '10.150.0.4', '192.168.1.1', '2001:db8::1']) {
      const mongoOfEnv = at(app, `${env}/mongo`);
      if (reach.workloadsOf(mongoOfEnv).includes(address)) continue;
      reach.assertCannotReach(web, ReachabilityEndpoint.address(address));
    }
    // AND no workload of another environment
    for (const other of ['shop-dev', 'shop-prod', 'shop-edge'].filter((e) => e !== env)) reach.assertCannotReach(web, at(app, `${other}/web`));
  });

  test('the reason names the policy that denies', () => {
    // WHEN web (Istio mode) asks for a public address the NetworkPolicy admits on 443
    const verdict = reach.canReach(at(app, 'shop-dev/web'), ReachabilityEndpoint.address('8.8.8.8'), { port: 443 });
    // THEN the REGISTRY_ONLY Sidecar refuses it, and says so
    expect(verdict.allowed).toBe(false);
    expect(verdict.reason).toMatch(/Sidecar shop-dev\/web-payments \(REGISTRY_ONLY\): no ServiceEntry or Service it imports/);
    // AND an allowed connection names the rule that admits it
    expect(reach.canReach(at(app, 'shop-edge/web'), ReachabilityEndpoint.host('api.payments.example.com'), { port: 443 }).reason)
      .toMatch(/admitted by CiliumNetworkPolicy shop-edge\/web-payments egress rule 1/);
  });
});

describe('database-migration: web and the Flyway Job reach PostgreSQL on 5432, nothing else does', () => {
  const app = exampleApp('database-migration');
  const reach = Reachability.of(app);
  const database = at(app, 'cars/postgresql');

  test('web and the migration Job reach it on TCP 5432', () => {
    reach.assertCanReach(at(app, 'cars/web'), database, { port: 5432 });
    reach.assertCanReach(at(app, 'cars/migrate'), database, { port: 5432 });
    reach.assertCannotReach(at(app, 'cars/web'), database, { port: 22 });
  });

  test('nothing else reaches it: no other workload, no address', () => {
    const others = workloadObjects(app).filter((o) => !['cars/web/', 'cars/migrate/', 'cars/postgresql/'].some((p) => o.node.path.startsWith(p)));
    for (const other of others) reach.assertCannotReach(other, database);
    for (const address of ['10.0.0.1', '8.8.8.8']) reach.assertCannotReach(ReachabilityEndpoint.address(address), database);
    // AND the reason of a denial names the ingress policy of the database
    const verdict = reach.canReach(ReachabilityEndpoint.address('10.0.0.1'), database, { port: 5432 });
    expect(verdict.reason).toMatch(/denied by ingress of cars\/.*\[StatefulSet\] \(NetworkPolicy cars\//);
  });
});

describe.each(exampleNames())('examples/%s: every workload resolves names, none reaches cloud metadata', (name) => {
  const app = exampleApp(name);
  const reach = Reachability.of(app);
  const workloads = workloadObjects(app);

  test('every workload reaches cluster DNS on UDP and TCP 53', () => {
    expect(workloads.length).toBeGreaterThan(0);
    for (const workload of workloads) {
      reach.assertCanReach(workload, DNS, { port: 53, protocol: 'UDP' });
      reach.assertCanReach(workload, DNS, { port: 53, protocol: 'TCP' });
    }
  });

  test('no workload reaches 169.254.169.254 (or another metadata address) on any port', () => {
    for (const workload of workloads) {
      reach.assertCannotReach(workload, METADATA);
      reach.assertCannotReach(workload, ReachabilityEndpoint.address('fd00:ec2::254'));
      reach.assertCannotReach(workload, ReachabilityEndpoint.address('100.100.100.200'));
    }
  });
});
