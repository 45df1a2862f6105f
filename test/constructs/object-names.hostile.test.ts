// Hostile input across the constructs: the names they derive are valid for the API server and never collide.
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CanaryPair, CanaryRouting, EgressTarget, FlywayMigrationJob, Migrations, SecureDeployment } from '../../src';
import { Manifest, synth, testChart } from '../support/helpers';
import { IMAGE, mongo } from '../support/workloads';

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
