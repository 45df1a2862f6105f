import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  DefaultDenyNamespace, FlywayMigrationJob, HealthProbe, JobOrdering, Migrations, Policy, PolicyPack, PostgresDatabase, PostgresDatabaseProps,
  Prerequisite, SecureDeployment,
} from '../../../src';
import { errorOf, only, podSpec, schemaFindings, synth, testChart } from '../../support/helpers';

const ALL_PACKS = { packs: [...PolicyPack.defaults(), PolicyPack.BASELINE] };
const IMAGE = 'postgres:17.6-bookworm';

function sqlDirectory(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sql-'));
  writeFileSync(path.join(dir, 'V1__create_table_car.sql'), 'CREATE TABLE car (id BIGSERIAL PRIMARY KEY);');
  return dir;
}

/** The talk's picture: a namespace, the database, a web app reading the connection, the Flyway Job migrating it. */
function carsApp(props: Partial<PostgresDatabaseProps> = {}) {
  const { app, chart } = testChart('cars');
  const namespace = new DefaultDenyNamespace(chart, 'namespace', { name: 'cars' });
  const credentials = kplus.Secret.fromSecretName(chart, 'credentials', 'cars-db');
  const db = new PostgresDatabase(chart, 'postgresql', {
    image: IMAGE, database: 'cars', credentials, namespace, storage: { size: Size.gibibytes(10) }, ...props,
  });
  const web = new SecureDeployment(chart, 'web', {
    image: 'ghcr.io/acme/cars:1.0.0', port: 8080, readiness: HealthProbe.http('/healthz'), namespace, env: db.clientEnv(),
  });
  const migrate = new FlywayMigrationJob(chart, 'migrate', {
    database: db, namespace, migrations: Migrations.fromDirectory(sqlDirectory()), ordering: JobOrdering.argoCdSync(),
  });
  db.allowFrom(web);
  return { app, chart, db, web, migrate, manifests: synth(chart) };
}

const policyOf = (manifests: any[], name: string) => manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === name);

describe('PostgresDatabase', () => {
  // GIVEN the talk's picture, WHEN synthesized
  const { app, db, manifests } = carsApp();
  const sts = only(manifests, 'StatefulSet');
  const container = podSpec(sts).containers[0];
  const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

  test('the database\'s objects: ServiceAccount, StatefulSet, headless Service, PodDisruptionBudget, NetworkPolicy (snapshot)', () => {
    const own = manifests.filter((m) => m.metadata.name === 'postgresql');
    expect(own.map((m) => m.kind)).toEqual(['ServiceAccount', 'StatefulSet', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']);
    expect(own).toMatchSnapshot();
  });

  test('runs as the Debian image\'s postgres user (999) with a read-only root filesystem', () => {
    expect(podSpec(sts).securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
  });

  test('writes only to its volume (PGDATA a subdirectory of it), the socket directory, /tmp and /dev/shm in memory', () => {
    expect(env.PGDATA).toBe('/var/lib/postgresql/data/pgdata');
    const mounts = Object.fromEntries(container.volumeMounts.map((m: any) => [m.mountPath, m]));
    expect(Object.keys(mounts).sort()).toEqual(['/dev/shm', '/etc/postgresql/credentials', '/tmp', '/var/lib/postgresql/data', '/var/run/postgresql']);
    expect(mounts['/etc/postgresql/credentials'].readOnly).toBe(true);
    expect(podSpec(sts).volumes).toContainEqual({ name: 'shared-memory', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } });
  });

  test('the password reaches PostgreSQL as a file from the Secret, never as a value', () => {
    expect(env.POSTGRES_PASSWORD_FILE).toBe('/etc/postgresql/credentials/password');
    expect(env).not.toHaveProperty('POSTGRES_PASSWORD');
    expect(podSpec(sts).volumes).toContainEqual({
      name: 'secret-files-0', secret: { secretName: 'cars-db', defaultMode: 0o440, items: [{ key: 'password', path: 'password' }] },
    });
    expect([env.POSTGRES_USER, env.POSTGRES_DB]).toEqual(['postgres', 'cars']);
  });

  test('readiness by pg_isready on the socket; liveness by TCP, patient enough for crash recovery', () => {
    expect(container.readinessProbe.exec.command).toEqual([
      'pg_isready', '--quiet', '--host=/var/run/postgresql', '--port=5432', '--username=postgres', '--dbname=cars',
    ]);
    expect(container.livenessProbe).toMatchObject({ tcpSocket: { port: 5432 }, initialDelaySeconds: 30, failureThreshold: 6 });
  });

  test('resources sized for a database: memory request equal to its limit', () => {
    expect(container.resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '1Gi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '1', 'memory': '1Gi', 'ephemeral-storage': '512Mi' },
    });
  });

  test('the connection: host, port, database, user and the Secret reference; no URL with a password', () => {
    const { passwordSecret, ...rest } = db.connection;
    expect(rest).toEqual({
      host: 'postgresql.cars.svc',
      port: 5432,
      database: 'cars',
      username: 'postgres',
      passwordKey: 'password',
      tls: false,
      jdbcUrl: 'jdbc:postgresql://postgresql.cars.svc:5432/cars',
    });
    expect(passwordSecret.name).toBe('cars-db');
  });

  test('schema-valid with zero findings in every pack, and the Secret listed as a prerequisite', () => {
    expect(schemaFindings(manifests)).toEqual([]);
    const report = Policy.report(app, ALL_PACKS);
    expect(report.findings).toEqual([]);
    expect(report.prerequisites).toEqual(['Secret cars/cars-db']);
  });
});

describe('PostgresDatabase.allowFrom: both sides from one call', () => {
  const { manifests, migrate } = carsApp();
  const database = policyOf(manifests, 'postgresql');
  const web = policyOf(manifests, 'web');
  const job = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === migrate.jobName);
  const databasePods = {
    podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'postgresql', 'app.kubernetes.io/name': 'postgresql' } },
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cars' } },
  };

  test('the database admits exactly its clients (the Job, then the web app), on 5432, and nothing else', () => {
    expect(database.spec.ingress).toEqual([{
      from: [
        { podSelector: { matchLabels: { 'app.kubernetes.io/instance': migrate.jobName } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cars' } } },
        { podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'web', 'app.kubernetes.io/name': 'web' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cars' } } },
      ],
      ports: [{ protocol: 'TCP', port: 5432 }],
    }]);
    // AND the database itself reaches only DNS
    expect(database.spec.egress).toHaveLength(1);
  });

  test('each client reaches exactly the database\'s pods on 5432, beside DNS', () => {
    for (const policy of [web, job]) {
      expect(policy.spec.egress.slice(1)).toEqual([{ to: [databasePods], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    }
  });

  test('a database nobody is allowed from admits nobody', () => {
    const { chart } = testChart('cars');
    new PostgresDatabase(chart, 'postgresql', { image: IMAGE, database: 'cars', credentials: kplus.Secret.fromSecretName(chart, 'c', 'cars-db'), storage: { size: Size.gibibytes(1) } });
    expect(policyOf(synth(chart), 'postgresql').spec.ingress).toEqual([]);
  });
});

describe('FlywayMigrationJob migrates the database of the app', () => {
  const { manifests, migrate } = carsApp();
  const job = only(manifests, 'Job');
  const env = Object.fromEntries(podSpec(job).containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

  test('URL and user from the connection, the password a reference to its Secret', () => {
    expect(env.FLYWAY_URL).toBe('jdbc:postgresql://postgresql.cars.svc:5432/cars');
    expect(env.FLYWAY_USER).toBe('postgres');
    expect(env.FLYWAY_PASSWORD).toEqual({ secretKeyRef: { name: 'cars-db', key: 'password' } });
  });

  test('a Sync hook in wave 1, after the database (wave 0) is healthy; its ConfigMap and NetworkPolicy one wave earlier', () => {
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation', 'argocd.argoproj.io/sync-wave': '1',
    });
    expect(policyOf(manifests, migrate.jobName).metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('0');
  });

  test('an ordering that runs before the release\'s resources exist is refused: the database would not be there', () => {
    for (const ordering of [JobOrdering.argoCdPreSync(), JobOrdering.helmHook('pre-install,pre-upgrade')]) {
      const { chart } = testChart('cars');
      const db = new PostgresDatabase(chart, 'postgresql', { image: IMAGE, database: 'cars', credentials: kplus.Secret.fromSecretName(chart, 'c', 'cars-db'), storage: { size: Size.gibibytes(1) } });
      const error = errorOf(() => new FlywayMigrationJob(chart, 'migrate', { database: db, migrations: Migrations.fromDirectory(sqlDirectory()), ordering }));
      expect(error.message).toMatch(/^FlywayMigrationJob shop\/migrate: the ordering runs the Job before the release's resources exist, and database shop\/postgresql is one of them/);
      expect(error.message).toMatch(/use JobOrdering.argoCdSync\(\)/);
    }
  });

  test('a JDBC URL or credentials beside the database are refused (the connection already says them)', () => {
    const { chart } = testChart('cars');
    const credentials = kplus.Secret.fromSecretName(chart, 'c', 'cars-db');
    const db = new PostgresDatabase(chart, 'postgresql', { image: IMAGE, database: 'cars', credentials, storage: { size: Size.gibibytes(1) } });
    expect(() => new FlywayMigrationJob(chart, 'migrate', { database: db, jdbcUrl: 'jdbc:postgresql://elsewhere:5432/x', migrations: Migrations.fromDirectory(sqlDirectory()) }))
      .toThrow(/jdbcUrl is given with database shop\/postgresql, whose connection already says it; leave jdbcUrl out/);
    expect(() => new FlywayMigrationJob(chart, 'migrate2', { database: db, credentials, migrations: Migrations.fromDirectory(sqlDirectory()) }))
      .toThrow(/credentials is given with database/);
  });
});

describe('PostgresDatabase variants', () => {
  test('PostgreSQL 18 on Alpine: uid 70, the volume at /var/lib/postgresql and PGDATA in its 18/docker subdirectory', () => {
    const { manifests } = carsApp({ image: 'postgres:18.1-alpine3.22' });
    const spec = podSpec(only(manifests, 'StatefulSet'));
    const env = Object.fromEntries(spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(spec.securityContext).toMatchObject({ runAsUser: 70, runAsGroup: 70, fsGroup: 70 });
    expect(env.PGDATA).toBe('/var/lib/postgresql/18/docker');
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql' });
  });

  test('a tag with a digest: the version and the uid come from the tag', () => {
    const { manifests } = carsApp({ image: `postgres:16.4-bookworm@sha256:${'ab'.repeat(32)}`, requireImageDigest: true });
    expect(podSpec(only(manifests, 'StatefulSet')).securityContext.runAsUser).toBe(999);
  });

  test('a digest-pinned image with the major version and uid given, a StorageClass and TLS: zero findings, schema-valid', () => {
    // GIVEN TLS from a cert-manager Secret and the cluster's class
    const { app, chart } = testChart('cars');
    const db = new PostgresDatabase(chart, 'postgresql', {
      image: `postgres@sha256:${'ab'.repeat(32)}`,
      majorVersion: 16,
      user: 999,
      requireImageDigest: true,
      database: 'cars',
      username: 'cars_owner',
      credentials: kplus.Secret.fromSecretName(chart, 'c', 'cars-db'),
      storage: { size: Size.gibibytes(20), storageClass: Prerequisite.storageClass(chart, 'standard-rwo') },
      tls: { secret: kplus.Secret.fromSecretName(chart, 'tls', 'cars-db-tls') },
      settings: { max_connections: '200' },
    });
    const manifests = synth(chart);
    const container = podSpec(only(manifests, 'StatefulSet')).containers[0];
    // THEN PostgreSQL serves TLS from the read-only key files, and clients require it
    expect(container.args).toEqual([
      '-c', 'ssl=on', '-c', 'ssl_cert_file=/etc/postgresql/tls/tls.crt', '-c', 'ssl_key_file=/etc/postgresql/tls/tls.key', '-c', 'max_connections=200',
    ]);
    expect(container.volumeMounts).toContainEqual({ name: 'secret-files-1', mountPath: '/etc/postgresql/tls', readOnly: true });
    expect(db.connection.jdbcUrl).toBe('jdbc:postgresql://postgresql.cars.svc:5432/cars?sslmode=require');
    expect(db.clientEnv().PGSSLMODE.value).toBe('require');
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app, ALL_PACKS).findings).toEqual([]);
  });
});
