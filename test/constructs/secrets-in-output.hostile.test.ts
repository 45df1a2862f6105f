// Hostile input across the constructs: no secret in a manifest, none in an error message.
import * as kplus from 'cdk8s-plus-27';
import { CanaryPair, CanaryRouting, FlywayMigrationJob, HealthProbe, Migrations, SecureDeployment } from '../../src';
import { FAKE } from '../support/fake-secrets';
import { errorOf, testChart } from '../support/helpers';
import { IMAGE } from '../support/workloads';

const PASSWORD = 'Sup3rS3cretPw';

describe('hostile input: no secret in a manifest, none in an error', () => {
  test.each([
    `admin:${PASSWORD}@ghcr.io/acme/web:1.4.2`,
    `https://admin:${PASSWORD}@ghcr.io/acme/web:1.4.2`,
  ])('an image reference with credentials (%#) is refused without echoing the password', (image) => {
    // GIVEN / WHEN / THEN refused, and the message names the kind, not the value
    const { chart } = testChart();
    const error = errorOf(() => new SecureDeployment(chart, 'web', { image, port: 8080 }));
    expect(error.message).toMatch(/^SecureDeployment shop\/web: image/);
    expect(error.message).not.toContain(PASSWORD);
  });

  test('a Flyway image with credentials is refused without echoing the password', () => {
    const { chart } = testChart();
    const error = errorOf(() => new FlywayMigrationJob(chart, 'migrate', {
      jdbcUrl: 'jdbc:postgresql://db:5432/app',
      credentials: kplus.Secret.fromSecretName(chart, 'creds', 'db'),
      migrations: Migrations.fromImage(`deploy:${PASSWORD}@quay.io/acme/migrations:1.0.0`),
    }));
    expect(error.message).toMatch(/^FlywayMigrationJob shop\/migrate: /);
    expect(error.message).not.toContain(PASSWORD);
  });

  test.each([
    `jdbc:postgresql:/admin:${PASSWORD}@db/app`,
    `jdbc:postgresql:admin:${PASSWORD}@db/app`,
  ])('a malformed JDBC URL carrying user:password (%#) is refused without echoing the password', (jdbcUrl) => {
    const { chart } = testChart();
    const error = errorOf(() => new FlywayMigrationJob(chart, 'migrate', {
      jdbcUrl, credentials: kplus.Secret.fromSecretName(chart, 'creds', 'db'), migrations: Migrations.fromImage('ghcr.io/acme/migrations:1.0.0'),
    }));
    expect(error.message).toMatch(/^FlywayMigrationJob shop\/migrate: jdbcUrl/);
    expect(error.message).not.toContain(PASSWORD);
  });

  test('a literal token in a pod label value is refused (labels are as public as annotations)', () => {
    // GIVEN a GitHub token as a label value (40 characters fit a label)
    const { chart } = testChart();
    // WHEN / THEN refused with the key, not the value
    const error = errorOf(() => new SecureDeployment(chart, 'web', { image: IMAGE, port: 8080, labels: { 'api-token': FAKE.github } }));
    expect(error.message).toMatch(/^SecureDeployment shop\/web: .*api-token/);
    expect(error.message).not.toContain(FAKE.github);
  });

  test('a literal token in an HTTP probe path is refused', () => {
    // GIVEN /healthz?access_token=<token> / WHEN used as a probe / THEN refused
    const { chart } = testChart();
    const error = errorOf(() => new SecureDeployment(chart, 'web', {
      image: IMAGE, port: 8080, readiness: HealthProbe.http(`/healthz?access_token=${FAKE.github}`),
    }));
    expect(error.message).toMatch(/^SecureDeployment shop\/web: /);
    expect(error.message).not.toContain(FAKE.github);
  });

  test('guard: a token in a CanaryPair header match value is refused without echoing it', () => {
    const { chart } = testChart();
    const error = errorOf(() => new CanaryPair(chart, 'reco', {
      port: 8080,
      stable: { image: IMAGE },
      canary: { image: 'ghcr.io/acme/web:1.5.0' },
      routing: CanaryRouting.istio({ matchHeaders: [{ name: 'x-canary', exact: FAKE.github }] }),
    }));
    expect(error.message).toMatch(/^CanaryPair shop\/reco: /);
    expect(error.message).not.toContain(FAKE.github);
  });
});
