import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { EgressTarget, FlywayMigrationJob, FlywayMigrationJobProps, JobOrdering, Migrations, Policy } from '../../../src';
import { only, podSpec, schemaFindings, synth, testChart } from '../../support/helpers';

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

  test('no probes: a Job serves nothing (activeDeadlineSeconds stops a hung migration)', () => {
    expect(container.livenessProbe).toBeUndefined();
    expect(container.readinessProbe).toBeUndefined();
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

  test('derived names are unique per construct: ids that differ only in case get different Jobs and NetworkPolicies', () => {
    // GIVEN two jobs with the same URL and migrations whose ids both derive the prefix "migrate", with different egress
    const { chart } = testChart();
    const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'pg-credentials');
    const migrations = Migrations.fromImage('quay.io/acme/flyway-mydb:2.0.0');
    const jdbcUrl = 'jdbc:postgresql://postgresql:5432/mydb';
    const upper = new FlywayMigrationJob(chart, 'Migrate', { jdbcUrl, credentials, migrations });
    const lower = new FlywayMigrationJob(chart, 'migrate', { jdbcUrl, credentials, migrations, databaseEgress: EgressTarget.cidr('10.0.0.5/32', { tcp: [5432] }) });
    // WHEN synthesized
    const manifests = synth(chart);
    // THEN the id that is a label keeps its readable prefix, the other one is told apart by a hash of its path, and
    // every kind/name pair is unique
    expect(lower.jobName).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(upper.jobName).toMatch(/^migrate-[0-9a-f]{8}-[0-9a-f]{8}$/);
    const keys = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    // ...and each NetworkPolicy selects only its own Job's pods
    for (const job of [upper, lower]) {
      const policy = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === job.jobName)!;
      expect(policy.spec.podSelector.matchLabels['app.kubernetes.io/instance']).toBe(job.jobName);
    }
  });

  test('a derived name is stable for one construct; a given name does not depend on the construct path', () => {
    // GIVEN the same job built twice at one path, and a given name at two paths
    const build = (id: string, name?: string) => {
      const { chart } = testChart();
      const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'pg-credentials');
      return new FlywayMigrationJob(chart, id, { name, jdbcUrl: 'jdbc:postgresql://postgresql:5432/mydb', credentials, migrations: Migrations.fromImage('quay.io/acme/m:1.0.0') });
    };
    // WHEN / THEN
    expect(build('migrate').jobName).toBe(build('migrate').jobName);
    expect(build('Migrate').jobName).not.toBe(build('migrate').jobName);
    expect(build('a', 'mydb-migrate').jobName).toBe(build('b', 'mydb-migrate').jobName);
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
      /jdbcUrl carries the "password" parameter.*remove them from the URL/],
    ['user:password@ in the JDBC URL', { jdbcUrl: 'jdbc:mysql://app:secret@mysql:3306/mydb' }, undefined, /password in its user-info part/],
    ['a latest migration image', { migrations: Migrations.fromImage('quay.io/acme/flyway-mydb:latest') }, undefined, /uses the mutable tag "latest"/],
    ['an untagged Flyway image', { image: 'flyway/flyway' }, undefined, /image "flyway\/flyway" has no tag/],
    ['a loopback database', { jdbcUrl: 'jdbc:postgresql://127.0.0.1:5432/mydb' }, undefined, /address "127.0.0.1" is loopback/],
    ['a link-local database', { jdbcUrl: 'jdbc:postgresql://169.254.1.1:5432/mydb' }, undefined, /is link-local/],
    ['a malformed URL (the part named, the URL not quoted)', { jdbcUrl: 'postgresql://db/mydb' }, undefined, /jdbcUrl is not of the form jdbc:<driver>:\/\/<host>.*: it does not start with jdbc:<driver>:;/],
    ['an external host without databaseEgress', { jdbcUrl: 'jdbc:postgresql://pg.example.com:5432/mydb' }, undefined, /pass databaseEgress: EgressTarget.cidr/],
    ['user 0', { user: 0 }, undefined, /user 0 is root/],
  ])('%s', (_, props, files, message) => {
    expect(() => migrate(props, files ?? MIGRATIONS)).toThrow(message);
  });

  test('names at the length limit never collide and never end in "-"', () => {
    // GIVEN two 63-character names that differ only in their last character
    const a = migrate({ name: `${'a'.repeat(62)}x` });
    const b = migrate({ name: `${'a'.repeat(62)}y` });
    const c = migrate({ name: `${'a'.repeat(53)}-xxxxxxxxx` });
    // WHEN / THEN
    const names = [a, b, c].flatMap((r) => r.manifests.map((m) => m.metadata.name));
    for (const name of names) expect(name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(a.job.jobName).not.toBe(b.job.jobName);
    expect(only(a.manifests, 'ConfigMap').metadata.name).not.toBe(only(b.manifests, 'ConfigMap').metadata.name);
    expect(only(a.manifests, 'ConfigMap').metadata.name).not.toBe(a.job.jobName);
  });

  test('a missing directory', () => {
    expect(() => migrate({ migrations: Migrations.fromDirectory('/does/not/exist') })).toThrow(/migrations directory "\/does\/not\/exist" cannot be read \(ENOENT\)/);
  });
});

describe('FlywayMigrationJob numbers', () => {
  test.each<[string, Partial<FlywayMigrationJobProps>, RegExp]>([
    ['negative connectRetries', { connectRetries: -1 }, /connectRetries -1 is not a whole number from 0 to 2147483647/],
    ['fractional connectRetries', { connectRetries: 1.5 }, /connectRetries 1.5 is not a whole number/],
    ['connectRetries beyond int32', { connectRetries: 2 ** 31 }, /connectRetries 2147483648 is not a whole number/],
    ['NaN backoffLimit', { backoffLimit: NaN }, /backoffLimit NaN is not a whole number/],
    ['backoffLimit beyond int32', { backoffLimit: 2 ** 40 }, /backoffLimit 1099511627776 is not a whole number/],
    ['a zero activeDeadline', { activeDeadline: Duration.seconds(0) }, /activeDeadline \(in seconds\) 0 is not a whole number from 1/],
    ['a fractional activeDeadline', { activeDeadline: Duration.millis(1500) }, /activeDeadline \(in seconds\) 1.5 is not a whole number/],
    ['an activeDeadline beyond int32 seconds', { activeDeadline: Duration.days(30000) }, /activeDeadline \(in seconds\) 2592000000 is not a whole number/],
    ['a fractional ttlAfterFinished', { ttlAfterFinished: Duration.millis(10) }, /ttlAfterFinished \(in seconds\) 0.01 is not a whole number/],
  ])('%s is refused', (_, props, message) => {
    expect(() => migrate(props)).toThrow(message);
    expect(() => migrate(props)).toThrow(/^FlywayMigrationJob shop\/migrate: /);
  });

  test('zero is fine where the API allows it', () => {
    const { jobManifest } = migrate({ connectRetries: 0, backoffLimit: 0, ttlAfterFinished: Duration.seconds(0) });
    expect(jobManifest.spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: 0 });
  });
});

describe('FlywayMigrationJob from JavaScript (wrong types get the construct-path error)', () => {
  const dir = sqlDir(MIGRATIONS);
  function fromJs(props: any) {
    return () => new FlywayMigrationJob(testChart().chart, 'migrate', props);
  }
  const base = () => ({ jdbcUrl: 'jdbc:postgresql://postgresql:5432/mydb', credentials: kplus.Secret.fromSecretName(testChart().chart, 'c', 'pg'), migrations: Migrations.fromDirectory(dir) });

  test.each<[string, (b: any) => any, RegExp]>([
    ['props missing', () => undefined, /props are undefined, not an object/],
    ['jdbcUrl missing (and no database)', (b) => ({ ...b, jdbcUrl: undefined }), /neither database nor jdbcUrl is given; pass database/],
    ['jdbcUrl a number', (b) => ({ ...b, jdbcUrl: 5432 }), /jdbcUrl is a number, not a string/],
    ['credentials a Secret name', (b) => ({ ...b, credentials: 'pg-credentials' }), /credentials is a string, not a Secret/],
    ['credentials missing', (b) => ({ ...b, credentials: undefined }), /credentials is missing, not a Secret/],
    ['migrations a path string', (b) => ({ ...b, migrations: 'sql' }), /migrations is a string, not Migrations \(Migrations.fromDirectory/],
    ['migrations a plain object', (b) => ({ ...b, migrations: { kind: 'directory', source: '/tmp' } }), /migrations is an object, not Migrations/],
    ['databaseEgress a CIDR string', (b) => ({ ...b, databaseEgress: '10.0.0.0/24' }), /databaseEgress is a string, not an EgressTarget/],
    ['activeDeadline in seconds', (b) => ({ ...b, activeDeadline: 900 }), /activeDeadline is a number, not a Duration/],
    ['ttlAfterFinished a string', (b) => ({ ...b, ttlAfterFinished: '1h' }), /ttlAfterFinished is a string, not a Duration/],
    ['connectRetries a string', (b) => ({ ...b, connectRetries: '12' }), /connectRetries "12" is not a whole number/],
    ['baselineOnMigrate a string', (b) => ({ ...b, baselineOnMigrate: 'false' }), /baselineOnMigrate is a string, not true or false/],
    ['usernameKey with a slash', (b) => ({ ...b, usernameKey: 'db/user' }), /usernameKey "db\/user" is not a valid Secret key/],
    ['passwordKey a number', (b) => ({ ...b, passwordKey: 1 }), /passwordKey is a number, not a string/],
    ['image a number', (b) => ({ ...b, image: 10 }), /image is a number, not a string/],
    ['name a number', (b) => ({ ...b, name: 1 }), /name is a number, not a string/],
    ['resources a string', (b) => ({ ...b, resources: 'small' }), /resources is not an object/],
  ])('%s', (_, make, message) => {
    const run = fromJs(make(base()));
    expect(run).toThrow(message);
    expect(run).toThrow(/^FlywayMigrationJob shop\/migrate: /);
  });
});
