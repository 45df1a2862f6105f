import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { EgressTarget, FlywayMigrationJob, FlywayMigrationJobProps, JobOrdering, Migrations, Policy } from '../../src';
import { only, podSpec, schemaFindings, synth, testChart } from '../support/helpers';

function sqlDir(files: { [name: string]: string }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'flyway-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
  return dir;
}

const MIGRATIONS: { [name: string]: string } = { 'V1__add_table_car.sql': 'CREATE TABLE car (id INT);', 'V2__add_column.sql': 'ALTER TABLE car ADD make TEXT;', 'R__views.sql': 'SELECT 1;' };

function migrate(props: Partial<FlywayMigrationJobProps> = {}, files: { [name: string]: string } = MIGRATIONS) {
  const { app, chart } = testChart();
  const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'pg-credentials');
  const job = new FlywayMigrationJob(chart, 'migrate', {
    name: 'mydb-migrate', jdbcUrl: 'jdbc:postgresql://postgresql:5432/mydb', credentials, migrations: Migrations.fromDirectory(sqlDir(files)), ...props,
  });
  const manifests = synth(chart);
  return { app, chart, job, manifests, jobManifest: only(manifests, 'Job') };
}

describe('FlywayMigrationJob defaults', () => {
  const { app, manifests, jobManifest } = migrate();
  const spec = podSpec(jobManifest);
  const container = spec.containers[0];

  test('a ConfigMap of migrations, a Job and a NetworkPolicy (snapshot)', () => {
    expect(manifests.map((m) => m.kind)).toEqual(['ConfigMap', 'Job', 'NetworkPolicy']);
    expect(manifests).toMatchSnapshot();
  });

  test('schema-valid with zero findings', () => {
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('migrations mounted read-only from an immutable ConfigMap', () => {
    const configMap = only(manifests, 'ConfigMap');
    expect(Object.keys(configMap.data).sort()).toEqual(['R__views.sql', 'V1__add_table_car.sql', 'V2__add_column.sql']);
    expect(configMap.immutable).toBe(true);
    expect(container.volumeMounts).toContainEqual({ name: 'migrations', mountPath: '/flyway/sql', readOnly: true });
  });

  test('hardened: non-root uid (the image defaults to root), read-only root, /tmp, resources, no token', () => {
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(container.volumeMounts).toContainEqual({ name: 'scratch-tmp', mountPath: '/tmp' });
    expect(container.workingDir).toBe('/tmp');
    expect(container.resources.limits.memory).toBe('512Mi');
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.restartPolicy).toBe('Never');
  });

  test('credentials from the Secret, never in args; safe Flyway settings', () => {
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
    expect(container.args).toEqual(['migrate']);
    expect(env).toMatchObject({
      FLYWAY_URL: 'jdbc:postgresql://postgresql:5432/mydb',
      FLYWAY_USER: { secretKeyRef: { name: 'pg-credentials', key: 'username' } },
      FLYWAY_PASSWORD: { secretKeyRef: { name: 'pg-credentials', key: 'password' } },
      FLYWAY_CLEAN_DISABLED: 'true',
      FLYWAY_VALIDATE_ON_MIGRATE: 'true',
      FLYWAY_BASELINE_ON_MIGRATE: 'false',
      FLYWAY_CONNECT_RETRIES: '12',
    });
  });

  test('job safety: backoff limit, deadline, TTL', () => {
    expect(jobManifest.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 900, ttlSecondsAfterFinished: 86400 });
  });

  test('the NetworkPolicy allows only DNS and the database port', () => {
    const np = only(manifests, 'NetworkPolicy').spec;
    expect(np.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.ingress).toEqual([]);
    expect(np.egress[1]).toEqual({ to: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: 5432 }] });
  });
});

describe('FlywayMigrationJob naming and options', () => {
  test('the name carries a hash of the migrations: new migrations, new Job', () => {
    const first = migrate().job.jobName;
    expect(first).toMatch(/^mydb-migrate-[0-9a-f]{8}$/);
    expect(migrate().job.jobName).toBe(first);
    expect(migrate({}, { ...MIGRATIONS, 'V3__more.sql': 'SELECT 2;' }).job.jobName).not.toBe(first);
    expect(migrate({ baselineOnMigrate: true }).job.jobName).not.toBe(first);
  });

  test('migrations from an image run that image, without a ConfigMap', () => {
    const { manifests, jobManifest } = migrate({ migrations: Migrations.fromImage('quay.io/acme/flyway-mydb:2.0.0') });
    expect(manifests.map((m) => m.kind)).toEqual(['Job', 'NetworkPolicy']);
    expect(podSpec(jobManifest).containers[0].image).toBe('quay.io/acme/flyway-mydb:2.0.0');
  });

  test('ordering annotations for Helm and Argo CD', () => {
    expect(migrate({ ordering: JobOrdering.helmHook() }).jobManifest.metadata.annotations).toEqual({
      'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-5', 'helm.sh/hook-delete-policy': 'before-hook-creation',
    });
    expect(migrate({ ordering: JobOrdering.argoCdPreSync(-2) }).jobManifest.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/sync-wave': '-2',
    });
  });

  test('database egress: an IP host, a Service in another namespace, an explicit target', () => {
    const egressOf = (props: Partial<FlywayMigrationJobProps>) => only(migrate(props).manifests, 'NetworkPolicy').spec.egress[1];
    expect(egressOf({ jdbcUrl: 'jdbc:postgresql://10.200.0.5/mydb' })).toEqual({ to: [{ ipBlock: { cidr: '10.200.0.5/32' } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    expect(egressOf({ jdbcUrl: 'jdbc:mysql://db.data.svc.cluster.local:3307/mydb' }).to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: {} },
    ]);
    expect(egressOf({ jdbcUrl: 'jdbc:postgresql://pg.example.com:5432/mydb', databaseEgress: EgressTarget.cidr('10.9.0.0/24', { tcp: [5432] }) }).to)
      .toEqual([{ ipBlock: { cidr: '10.9.0.0/24' } }]);
  });

  test('job settings', () => {
    const { jobManifest } = migrate({ backoffLimit: 0, activeDeadline: Duration.minutes(5), ttlAfterFinished: Duration.minutes(30), user: 101 });
    expect(jobManifest.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 300, ttlSecondsAfterFinished: 1800 });
    expect(podSpec(jobManifest).securityContext.runAsUser).toBe(101);
  });
});

describe('FlywayMigrationJob bad input', () => {
  test.each<[string, Partial<FlywayMigrationJobProps>, { [name: string]: string } | undefined, RegExp]>([
    ['a bad file name', {}, { 'V1_add.sql': 'x' }, /migration file "V1_add.sql" is not named V<version>__<description>.sql.*two underscores/],
    ['a non-SQL file', {}, { 'V1__a.sql': 'x', 'README.md': 'x' }, /migration file "README.md" is not named/],
    ['duplicate versions', {}, { 'V1__a.sql': 'x', 'V1.0__b.sql': 'y' }, /migration files "V1.0__b.sql" and "V1__a.sql" have the same version 1|migration files "V1__a.sql" and "V1.0__b.sql" have the same version 1/],
    ['too much SQL for a ConfigMap', {}, { 'V1__big.sql': 'x'.repeat(1100 * 1024) }, /more than a ConfigMap holds.*Migrations.fromImage/],
    ['a password in the JDBC URL', { jdbcUrl: 'jdbc:postgresql://postgresql:5432/mydb?user=app&password=secret' }, undefined,
      /the JDBC URL carries a password parameter.*remove them from the URL/],
    ['user:password@ in the JDBC URL', { jdbcUrl: 'jdbc:mysql://app:secret@mysql:3306/mydb' }, undefined, /password in its user-info part/],
    ['a latest migration image', { migrations: Migrations.fromImage('quay.io/acme/flyway-mydb:latest') }, undefined, /uses the mutable tag "latest"/],
    ['an untagged Flyway image', { image: 'flyway/flyway' }, undefined, /image "flyway\/flyway" has no tag/],
    ['a loopback database', { jdbcUrl: 'jdbc:postgresql://127.0.0.1:5432/mydb' }, undefined, /address "127.0.0.1" is loopback/],
    ['a link-local database', { jdbcUrl: 'jdbc:postgresql://169.254.1.1:5432/mydb' }, undefined, /is link-local/],
    ['a malformed URL', { jdbcUrl: 'postgresql://db/mydb' }, undefined, /is not of the form jdbc:<driver>:\/\/<host>/],
    ['an external host without databaseEgress', { jdbcUrl: 'jdbc:postgresql://pg.example.com:5432/mydb' }, undefined, /pass databaseEgress: EgressTarget.cidr/],
    ['user 0', { user: 0 }, undefined, /user 0 is root/],
  ])('%s', (_, props, files, message) => {
    expect(() => migrate(props, files ?? MIGRATIONS)).toThrow(message);
  });

  test('a missing directory', () => {
    expect(() => migrate({ migrations: Migrations.fromDirectory('/does/not/exist') })).toThrow(/migrations directory "\/does\/not\/exist" cannot be read \(ENOENT\)/);
  });
});
