// Hostile input to PostgresDatabase, class by class: each refusal names the construct path, the prop or value, and the
// fix; credentials never reach an error message or an object other than a Secret.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  FlywayMigrationJob, Migrations, Policy, PostgresDatabase, PostgresDatabaseProps, Prerequisite, SecureDeployment, SecureStatefulSet,
} from '../../../src';
import { FAKE, pem, PEM_BODY } from '../../support/fake-secrets';
import { errorOf, only, podSpec, synth, testChart } from '../../support/helpers';

const FAKE_PASSWORD = 'hunter2-Zq8!fake-Pw-4711';
const IMAGE = 'postgres:17.6-bookworm';
const DIGEST = `sha256:${'ab12'.repeat(16)}`;
/** Every PostgresDatabase error starts with its kind and path. */
const PATH = /^PostgresDatabase shop\/db: /;
/** Storage errors come from the database's StatefulSet, below the database's path. */
const STORAGE_PATH = /^SecureStatefulSet shop\/db\/Server: /;

function build(props: Partial<PostgresDatabaseProps> | { [key: string]: unknown } = {}, scope?: Chart) {
  const chart = scope ?? testChart().chart;
  const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'db-credentials');
  const db = new PostgresDatabase(chart, 'db', {
    image: IMAGE, database: 'app', credentials, storage: { size: Size.gibibytes(10) }, ...props,
  } as PostgresDatabaseProps);
  return { chart, db };
}

function message(body: () => unknown): string {
  return errorOf(body).message;
}

function client(chart: Construct, id: string = 'web'): SecureDeployment {
  return new SecureDeployment(chart, id, { image: 'ghcr.io/acme/web:1.4.2', port: 8080, name: id });
}

describe('PostgresDatabase runs as the image\'s postgres user, never root or the mesh proxy', () => {
  test.each<[string, unknown, RegExp]>([
    ['root', 0, /user 0 is root/],
    ['the mesh proxy uid', 1337, /user 1337 is the id of Istio's sidecar proxy/],
    ['a negative id', -1, /user -1 is not a whole number/],
    ['a fraction', 999.5, /user 999.5 is not a whole number/],
    ['a string from JavaScript', '999', /user "999" is not a whole number/],
    ['beyond int32', 2 ** 31, /user 2147483648 is not a whole number/],
  ])('user: %s is refused by the database, with the image\'s ids as the fix', (_, user, problem) => {
    // GIVEN / WHEN a user the pod must not run as
    const error = message(() => build({ user }));
    // THEN refused at the database's path (not its inner StatefulSet's), with the image's uids as the fix
    expect(error).toMatch(PATH);
    expect(error).toMatch(problem);
    expect(error).toMatch(/leave user out for the official images \(999 on Debian, 70 on Alpine\)/);
    expect(error).not.toMatch(/10001/);
  });

  test.each([
    'readOnlyRootFilesystem', 'securityContext', 'podSecurityContext', 'env', 'command', 'args', 'writablePaths', 'volumes', 'privileged',
    'allowPrivilegeEscalation', 'hostNetwork', 'serviceAccount', 'allowIngressFrom',
  ])('a prop that would loosen the pod from JavaScript (%s) is refused as unknown', (prop) => {
    // GIVEN a JavaScript caller passing a pod setting the database owns
    const error = message(() => build({ [prop]: prop === 'readOnlyRootFilesystem' ? false : {} }));
    // WHEN / THEN refused as an unknown prop, with what to use instead
    expect(error).toMatch(PATH);
    expect(error).toContain(`unknown prop "${prop}"`);
    expect(error).toMatch(/remove it, or use one of "image", .*"settings"/);
  });

  test.each([['replica', 'replicas'], ['setings', 'settings'], ['credential', 'credentials'], ['majorVerison', 'majorVersion']])(
    'a misspelt prop (%s) is refused with the prop meant', (typo, meant) => {
      // GIVEN / WHEN a typo / THEN the suggestion names the prop
      const error = message(() => build({ [typo]: undefined }));
      expect(error).toMatch(PATH);
      expect(error).toContain(`unknown prop "${typo}"; did you mean "${meant}"?`);
    });

  test('storage.mountPath is the construct\'s, and refused (the image decides where the data lives)', () => {
    const error = message(() => build({ storage: { size: Size.gibibytes(10), mountPath: '/' } }));
    expect(error).toMatch(PATH);
    expect(error).toMatch(/unknown key in storage "mountPath"; remove it, or use one of "size", "storageClass", "accessMode"/);
  });

  test('the defaults run as 999 with a read-only root filesystem, and the policy engine finds nothing', () => {
    // GIVEN the defaults / WHEN synthesized
    const { chart } = build();
    const spec = podSpec(only(synth(chart), 'StatefulSet'));
    // THEN non-root, read-only, no escalation, every capability dropped
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(spec.containers[0].securityContext).toMatchObject({
      readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] },
    });
    expect(Policy.report(chart).findings).toEqual([]);
  });
});

describe('PostgresDatabase takes no password as a literal', () => {
  test.each<[string, { [name: string]: string }, RegExp]>([
    ['a password setting', { some_password: FAKE_PASSWORD }, /settings "some_password" holds a literal password/],
    ['a dotted extension setting named for a key', { 'myext.api_key': FAKE_PASSWORD }, /settings "myext.api_key" holds/],
    ['a token under an innocent name', { application_name: FAKE.github }, /settings "application_name" holds a GitHub token/],
    ['a Stripe key under an innocent name', { cluster_name: FAKE.stripe }, /settings "cluster_name" holds/],
    ['a JWT', { search_path: FAKE.jwt }, /settings "search_path" holds a JWT/],
  ])('settings with %s is refused without echoing the value', (_, settings, problem) => {
    // GIVEN a secret in a setting, which would be written into the StatefulSet's args
    const error = message(() => build({ settings }));
    // WHEN / THEN refused, naming the setting and the fix, never the value
    expect(error).toMatch(PATH);
    expect(error).toMatch(problem);
    expect(error).toMatch(/keep credentials in Secrets/);
    for (const value of Object.values(settings)) expect(error).not.toContain(value);
  });

  test.each<[string, string, string]>([
    ['database as user:password@host', 'database', `app:${FAKE_PASSWORD}@db`],
    ['username as user:password@host', 'username', `app:${FAKE_PASSWORD}@db`],
    ['username as user:password', 'username', `app:${FAKE_PASSWORD}`],
    ['database as a URL with a password', 'database', `postgres://app:${FAKE_PASSWORD}@db:5432/app`],
    ['username as a token', 'username', FAKE.github],
  ])('%s is refused by the identifier rule, without echoing the password', (_, prop, value) => {
    // GIVEN / WHEN a credential where a name belongs
    const error = message(() => build({ [prop]: value }));
    // THEN refused as no plain identifier; the value is not shown
    expect(error).toMatch(PATH);
    expect(error).toContain(`${prop} (value not shown: it may hold a credential) is not a plain PostgreSQL identifier`);
    expect(error).toMatch(/use lower-case letters, digits and "_"/);
    expect(error).not.toContain(FAKE_PASSWORD);
    expect(error).not.toContain(FAKE.github);
  });

  test('a name that is no identifier and holds no credential is shown, to help fix it', () => {
    expect(message(() => build({ database: 'App-DB' }))).toMatch(/database "App-DB" is not a plain PostgreSQL identifier/);
  });

  test.each<[string, unknown]>([
    ['the password as a string', FAKE_PASSWORD],
    ['a plain object with the password', { password: FAKE_PASSWORD }],
    ['a plain object with stringData', { stringData: { password: FAKE_PASSWORD } }],
    ['null', null],
    ['a list', [FAKE_PASSWORD]],
  ])('credentials given as %s is refused without echoing it', (_, credentials) => {
    // GIVEN / WHEN credentials that are not a Secret
    const error = message(() => build({ credentials }));
    // THEN refused, naming the prop and the fix, never the value
    expect(error).toMatch(PATH);
    expect(error).toMatch(/credentials is (a string|an object|null|a list), not a Secret/);
    expect(error).toMatch(/pass a Secret \(kplus\.Secret\.fromSecretName/);
    expect(error).not.toContain(FAKE_PASSWORD);
  });

  test('no synthesized object outside a Secret holds the password or the TLS key; the connection and clientEnv() hold none', () => {
    // GIVEN a Secret of the app with the password and a TLS Secret of the app with its key, a client and a migration
    const { app, chart } = testChart();
    const credentials = new kplus.Secret(chart, 'creds', { stringData: { password: FAKE_PASSWORD } });
    const tls = new kplus.Secret(chart, 'tls', { stringData: { 'tls.crt': pem('CERTIFICATE'), 'tls.key': pem('PRIVATE KEY') } });
    const db = new PostgresDatabase(chart, 'db', { image: IMAGE, database: 'app', credentials, storage: { size: Size.gibibytes(10) }, tls: { secret: tls } });
    const web = new SecureDeployment(chart, 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080, env: db.clientEnv() });
    db.allowFrom(web);
    new FlywayMigrationJob(chart, 'migrate', { database: db, migrations: Migrations.fromImage('ghcr.io/acme/migrations:1.0.0') });
    // WHEN synthesized
    const manifests = synth(chart);
    // THEN the secrets are in the Secrets only
    const outside = manifests.filter((m) => m.kind !== 'Secret').map((m) => JSON.stringify(m)).join('\n');
    expect(outside).not.toContain(FAKE_PASSWORD);
    expect(outside).not.toContain(PEM_BODY);
    expect(JSON.stringify(manifests.filter((m) => m.kind === 'Secret'))).toContain(FAKE_PASSWORD);
    // AND the connection names the Secret and key, never the value
    const { passwordSecret, ...connection } = db.connection;
    expect(JSON.stringify(connection)).not.toContain(FAKE_PASSWORD);
    expect(passwordSecret).toBe(credentials);
    expect(db.connection.jdbcUrl).toBe('jdbc:postgresql://db.shop.svc:5432/app?sslmode=require');
    // AND clientEnv() has PGPASSWORD as a reference to the Secret, every other variable a plain, non-secret value
    const env = podSpec(only(manifests, 'Deployment')).containers[0].env as any[];
    expect(env.find((e) => e.name === 'PGPASSWORD')).toEqual({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: credentials.name, key: 'password' } } });
    expect(env.filter((e) => e.name !== 'PGPASSWORD').every((e) => e.valueFrom === undefined && !e.value.includes(FAKE_PASSWORD))).toBe(true);
    expect(env.map((e) => e.name).sort()).toEqual(['PGDATABASE', 'PGHOST', 'PGPASSWORD', 'PGPORT', 'PGSSLMODE', 'PGUSER']);
    // AND the policy engine, which judges every value, finds nothing
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('a JavaScript object shaped like a Secret (a name and a password beside it) is refused, without echoing the password', () => {
    // GIVEN an object with a name (what a Secret reference needs) and, beside it, a password
    const { chart } = testChart();
    // WHEN it is passed as credentials
    const error = errorOf(() => new PostgresDatabase(chart, 'db', {
      image: IMAGE, database: 'app', credentials: { name: 'db-credentials', password: FAKE_PASSWORD } as any, storage: { size: Size.gibibytes(10) },
    })).message;
    // THEN it is refused as not a Secret, and the password is not in the message
    expect(error).toMatch(/^PostgresDatabase shop\/db: credentials is an object without a kind, not a Secret; pass a Secret/);
    expect(error).not.toContain(FAKE_PASSWORD);
  });
});

describe('PostgresDatabase storage is a volume with a size, a StorageClass prerequisite and an access mode', () => {
  test.each<[string, unknown, RegExp, RegExp]>([
    ['storage missing', undefined, /storage is undefined, not an object/, /pass storage as an object/],
    ['storage as a string', '10Gi', /storage is a string, not an object/, /pass storage as an object/],
    ['a volume without a size', {}, /storage.size is missing, and a claim without a size cannot be provisioned/, /pass storage.size, e.g. Size.gibibytes\(10\)/],
    ['size zero', { size: Size.gibibytes(0) }, /storage.size is zero/, /pass a size above zero/],
    ['size zero mebibytes', { size: Size.mebibytes(0) }, /storage.size is zero/, /pass a size above zero/],
    ['size as a quantity string', { size: '10Gi' }, /storage.size is not a Size/, /use Size.mebibytes\(256\) or Size.gibibytes\(1\)/],
    ['size as a number', { size: 10 }, /storage.size is not a Size/, /Size.gibibytes/],
    ['storageClass as a name', { size: Size.gibibytes(1), storageClass: 'gp3' }, /storage.storageClass is a string, not a StorageClass prerequisite/, /Prerequisite.storageClass\(scope, name\)/],
    ['accessMode abbreviated', { size: Size.gibibytes(1), accessMode: 'RWO' }, /storage.accessMode "RWO" is not an access mode/, /use PersistentVolumeAccessMode \(ReadWriteOnce/],
    ['accessMode in lower case', { size: Size.gibibytes(1), accessMode: 'readwriteonce' }, /storage.accessMode "readwriteonce" is not an access mode/, /ReadWriteOncePod/],
    ['accessMode as a number', { size: Size.gibibytes(1), accessMode: 1 }, /storage.accessMode is a number, not a string/, /set storage.accessMode to a string/],
    ['an unknown key', { size: Size.gibibytes(1), storageClassName: 'gp3' }, /unknown key in storage "storageClassName"/, /remove it, or use one of "size", "storageClass", "accessMode"/],
  ])('%s is refused', (_, storage, problem, fix) => {
    // GIVEN / WHEN storage that could not be provisioned as meant
    const error = message(() => build({ storage }));
    // THEN refused at the database's path (or its StatefulSet's, below it), naming the prop and the fix
    expect(error).toMatch(new RegExp(`${PATH.source}|${STORAGE_PATH.source}`));
    expect(error).toMatch(problem);
    expect(error).toMatch(fix);
  });

  test('a prerequisite of another kind (a Secret) is no StorageClass', () => {
    // GIVEN Prerequisite.secret where a StorageClass belongs
    const { chart } = testChart();
    const error = message(() => build({ storage: { size: Size.gibibytes(1), storageClass: Prerequisite.secret(chart, 'gp3') } }, chart));
    // WHEN / THEN refused with the kind found and the factory to use
    expect(error).toMatch(STORAGE_PATH);
    expect(error).toMatch(/storage.storageClass is a Secret prerequisite, not a StorageClass; pass Prerequisite.storageClass\(scope, name\)/);
  });

  test('a StorageClass prerequisite and an access mode reach the claim template', () => {
    // GIVEN a StorageClass the cluster provides and ReadWriteOncePod
    const { chart } = testChart();
    build({ storage: { size: Size.gibibytes(20), storageClass: Prerequisite.storageClass(chart, 'fast-ssd'), accessMode: kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE_POD } }, chart);
    // WHEN / THEN in the claim template
    expect(only(synth(chart), 'StatefulSet').spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOncePod'], storageClassName: 'fast-ssd', resources: { requests: { storage: '20Gi' } },
    });
  });
});

describe('PostgresDatabase.allowFrom admits only workloads of its app', () => {
  test('a bare selector (kplus.Pods.select) is refused: no egress policy of this app would let it out', () => {
    // GIVEN a database and a selector of pods
    const { chart, db } = build();
    const pods = kplus.Pods.select(chart, 'pods', { labels: { app: 'reporting' } });
    // WHEN / THEN refused, naming the client's path and the fix
    const error = message(() => db.allowFrom(pods as any));
    expect(error).toMatch(PATH);
    expect(error).toContain('allowFrom client 0 (shop/pods) is not a workload whose egress this app writes');
    expect(error).toMatch(/pass a workload of this app \(a SecureDeployment, SecureStatefulSet or FlywayMigrationJob\); for a workload defined elsewhere, admit it with a NetworkPolicy of its own/);
  });

  test.each<[string, unknown, RegExp]>([
    ['a plain object with the methods', { toPodSelectorConfig: () => ({}), addEgressRule: () => undefined }, /allowFrom client 0 is an object, not a workload of this app/],
    ['null', null, /allowFrom client 0 is null, not a workload of this app/],
    ['a name', 'web', /allowFrom client 0 is a string, not a workload of this app/],
  ])('%s is refused', (_, given, problem) => {
    const { db } = build();
    const error = errorOf(() => db.allowFrom(given as any));
    expect(error).not.toBeInstanceOf(TypeError);
    expect(error.message).toMatch(PATH);
    expect(error.message).toMatch(problem);
    expect(error.message).toMatch(/pass a workload of this app/);
  });

  test('a construct that is no workload is refused', () => {
    const { chart, db } = build();
    expect(message(() => db.allowFrom(new Construct(chart, 'plain') as any))).toMatch(/allowFrom client 0 \(shop\/plain\) is not a workload whose egress this app writes/);
  });

  test('a workload of another App is refused', () => {
    // GIVEN a workload in a chart of another App
    const { db } = build();
    const other = new Chart(new App(), 'other', { namespace: 'other' });
    const web = client(other);
    // WHEN / THEN refused: its egress policy is not in this app's output
    const error = message(() => db.allowFrom(web));
    expect(error).toMatch(PATH);
    expect(error).toContain('allowFrom client 0 (other/web) belongs to another app; pass a workload of the app the database is in');
  });

  test('a plain object claiming a node of its own is taken for another app\'s, not trusted', () => {
    const { db } = build();
    const fake = { node: { path: 'shop/web' }, toPodSelectorConfig: () => ({}), addEgressRule: () => undefined };
    expect(message(() => db.allowFrom(fake as any))).toMatch(/allowFrom client 0 \(shop\/web\) belongs to another app/);
  });

  test('the database itself is refused, whether given as the database or its StatefulSet', () => {
    // GIVEN a database
    const { db } = build();
    // WHEN it is given as its own client / THEN refused, naming the path
    expect(message(() => db.allowFrom(db as any))).toMatch(/^PostgresDatabase shop\/db: allowFrom client 0 \(shop\/db\) is not a workload whose egress this app writes/);
    expect(message(() => db.allowFrom(db.server))).toMatch(/^PostgresDatabase shop\/db: allowFrom client 0 is the database itself; pass the workloads that connect to it/);
  });

  test('the index of the bad client is named', () => {
    const { chart, db } = build();
    expect(message(() => db.allowFrom(client(chart), null as any))).toMatch(/allowFrom client 1 is null/);
  });

  test('allowFrom twice for one client is idempotent: one ingress peer, one egress rule', () => {
    // GIVEN a client admitted twice, once more in one call, and a StatefulSet client once
    const { chart, db } = build();
    const web = client(chart);
    const cache = new SecureStatefulSet(chart, 'cache', { image: 'ghcr.io/acme/cache:2.0.0', port: 6379, storage: { size: Size.gibibytes(1), mountPath: '/data' } });
    db.allowFrom(web);
    db.allowFrom(web);
    db.allowFrom(web, web, cache);
    // WHEN synthesized
    const policies = synth(chart).filter((m) => m.kind === 'NetworkPolicy');
    const policy = (name: string) => policies.find((p) => p.metadata.name === name)!;
    // THEN the database admits each client once, on 5432
    expect(policy('db').spec.ingress).toHaveLength(1);
    expect(policy('db').spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 5432 }]);
    expect(policy('db').spec.ingress[0].from.map((peer: any) => peer.podSelector.matchLabels['app.kubernetes.io/instance'])).toEqual(['web', 'cache']);
    // AND each client's egress has one rule to the database's pods on 5432, beside DNS
    for (const name of ['web', 'cache']) {
      const toDatabase = policy(name).spec.egress.filter((rule: any) => rule.ports.some((p: any) => p.port === 5432));
      expect(toDatabase).toHaveLength(1);
      expect(toDatabase[0].to).toEqual([{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'db', 'app.kubernetes.io/name': 'postgresql' } },
      }]);
    }
  });

  test('a FlywayMigrationJob given the database is admitted once, even when allowFrom names it again', () => {
    // GIVEN a migration that wires itself to the database, and the same wiring by hand
    const { chart, db } = build();
    const job = new FlywayMigrationJob(chart, 'migrate', { database: db, migrations: Migrations.fromImage('ghcr.io/acme/migrations:1.0.0') });
    db.allowFrom(job);
    // WHEN / THEN one peer
    const policy = synth(chart).filter((m) => m.kind === 'NetworkPolicy').find((p) => p.metadata.name === 'db')!;
    expect(policy.spec.ingress).toHaveLength(1);
    expect(policy.spec.ingress[0].from).toHaveLength(1);
  });

  test('without clients the database admits nobody', () => {
    const { chart } = build();
    expect(synth(chart).find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === 'db')!.spec.ingress).toEqual([]);
  });
});

describe('PostgresDatabase runs one pod: replication needs an operator', () => {
  test.each<[string, unknown]>([['2', 2], ['0', 0], ['1.5', 1.5], ['"1" from JavaScript', '1'], ['3', 3], ['-1', -1]])(
    'replicas %s is refused, pointing to CloudNativePG', (_, replicas) => {
      // GIVEN / WHEN replicas other than 1
      const error = message(() => build({ replicas }));
      // THEN refused, with 1 and CloudNativePG as the fix
      expect(error).toMatch(PATH);
      expect(error).toMatch(new RegExp(`replicas ${typeof replicas === 'string' ? `"${replicas}"` : replicas}`));
      expect(error).toMatch(/use replicas: 1 \(the default\); for streaming replication and failover run an operator such as CloudNativePG/);
    });

  test('replicas 2 says why: two pods on their own volumes would be two databases', () => {
    expect(message(() => build({ replicas: 2 }))).toMatch(/replicas 2: the official image does not replicate, so 2 pods on their own volumes would be 2 unrelated databases/);
  });

  test('replicas 1, given or not, is one pod', () => {
    const given = build({ replicas: 1 });
    expect(only(synth(given.chart), 'StatefulSet').spec.replicas).toBe(1);
    expect(only(synth(build().chart), 'StatefulSet').spec.replicas).toBe(1);
  });
});

describe('PostgresDatabase images: pinned, a supported major, the right uid and layout', () => {
  test.each<[string, string, RegExp, RegExp]>([
    ['latest', 'postgres:latest', /image "postgres:latest" uses the mutable tag "latest"/, /pin a version or digest/],
    ['untagged', 'postgres', /image "postgres" has no tag/, /pin a version or digest/],
    ['untagged from Docker Hub', 'docker.io/library/postgres', /has no tag/, /pin a version or digest/],
  ])('an unpinned image (%s) is refused', (_, image, problem, fix) => {
    const error = message(() => build({ image }));
    expect(error).toMatch(PATH);
    expect(error).toMatch(problem);
    expect(error).toMatch(fix);
  });

  test('requireImageDigest refuses a tag', () => {
    expect(message(() => build({ requireImageDigest: true }))).toMatch(new RegExp(`${PATH.source}image "postgres:17.6-bookworm"`));
  });

  test('an image with registry credentials is refused without echoing the password', () => {
    const error = message(() => build({ image: `admin:${FAKE_PASSWORD}@postgres:17.6` }));
    expect(error).toMatch(PATH);
    expect(error).toMatch(/carries registry credentials/);
    expect(error).not.toContain(FAKE_PASSWORD);
  });

  test('the official image by digest alone says neither the major version nor the variant', () => {
    // GIVEN postgres@sha256:… / WHEN built without majorVersion / THEN majorVersion is asked for
    const image = `postgres@${DIGEST}`;
    const noMajor = message(() => build({ image }));
    expect(noMajor).toMatch(PATH);
    expect(noMajor).toMatch(/the PostgreSQL major version of image "postgres@sha256:[0-9a-f]+" cannot be read from its tag/);
    expect(noMajor).toMatch(/set majorVersion \(15, 16, 17, 18\), or use a tag that names it/);
    // AND with majorVersion, the uid is asked for (the digest does not say Debian or Alpine)
    const noUser = message(() => build({ image, majorVersion: 17 }));
    expect(noUser).toMatch(/the uid of the postgres user of image .* cannot be read from its name; set user \(999 for the official Debian images, 70 for the Alpine ones/);
    // AND with both, it is accepted
    const { chart } = build({ image, majorVersion: 17, user: 999 });
    expect(podSpec(only(synth(chart), 'StatefulSet')).securityContext.runAsUser).toBe(999);
  });

  test('a tag and a digest: the tag says the major and variant', () => {
    const { chart, db } = build({ image: `postgres:18.1-alpine3.22@${DIGEST}` });
    expect(db.majorVersion).toBe(18);
    expect(podSpec(only(synth(chart), 'StatefulSet')).securityContext.runAsUser).toBe(70);
  });

  test('a non-official image (bitnami/postgresql:16) needs majorVersion and user: its tag and uid are its own', () => {
    // GIVEN an image this construct knows nothing about
    const image = 'bitnami/postgresql:16';
    // WHEN / THEN the major version is asked for, then the uid
    expect(message(() => build({ image }))).toMatch(/the PostgreSQL major version of image "bitnami\/postgresql:16" cannot be read from its tag/);
    expect(message(() => build({ image, user: 1001 }))).toMatch(/set majorVersion/);
    expect(message(() => build({ image, majorVersion: 16 }))).toMatch(/the uid of the postgres user of image "bitnami\/postgresql:16" cannot be read from its name; set user/);
    expect(() => build({ image, majorVersion: 16, user: 1001 })).not.toThrow();
  });

  test('an official image under another registry path is not taken for the official one', () => {
    expect(message(() => build({ image: 'ghcr.io/acme/postgres:17.6' }))).toMatch(/set majorVersion/);
  });

  test('an unknown variant of the official image needs user', () => {
    expect(message(() => build({ image: 'postgres:17.6-custom' }))).toMatch(/the uid of the postgres user of image "postgres:17.6-custom" cannot be read from its name/);
  });

  test.each<[string, Partial<PostgresDatabaseProps>, RegExp, RegExp]>([
    ['14 from the tag', { image: 'postgres:14.19-bookworm' }, /PostgreSQL 14 is not supported \(it no longer gets security fixes\)/, /use PostgreSQL 15 to 18/],
    ['19 from the tag', { image: 'postgres:19.0-bookworm' }, /PostgreSQL 19 is not supported \(its image layout is not known to this version\)/, /use PostgreSQL 15 to 18/],
    ['14 as majorVersion', { image: `postgres@${DIGEST}`, majorVersion: 14, user: 999 }, /PostgreSQL 14 is not supported/, /use PostgreSQL 15 to 18/],
    ['19 as majorVersion', { image: `postgres@${DIGEST}`, majorVersion: 19, user: 999 }, /PostgreSQL 19 is not supported/, /use PostgreSQL 15 to 18/],
    ['majorVersion as a string', { image: `postgres@${DIGEST}`, majorVersion: '17' as any, user: 999 }, /majorVersion "17" is not a whole number/, /whole number/],
    ['majorVersion contradicting the tag', { image: 'postgres:17.6-bookworm', majorVersion: 16 }, /majorVersion 16 contradicts image "postgres:17.6-bookworm" \(PostgreSQL 17\)/, /leave majorVersion out, or correct it/],
    ['majorVersion 18 on a 17 tag', { image: 'postgres:17-alpine', majorVersion: 18 }, /majorVersion 18 contradicts image "postgres:17-alpine" \(PostgreSQL 17\)/, /leave majorVersion out/],
  ])('%s is refused', (_, props, problem, fix) => {
    const error = message(() => build(props));
    expect(error).toMatch(PATH);
    expect(error).toMatch(problem);
    expect(error).toMatch(fix);
  });

  test('majorVersion agreeing with the tag is accepted', () => {
    expect(build({ image: 'postgres:16.10-trixie', majorVersion: 16 }).db.majorVersion).toBe(16);
  });

  test.each<[string, number]>([
    ['postgres:17.6-alpine', 70],
    ['postgres:17.6-alpine3.22', 70],
    ['postgres:16.10-alpine3.23', 70],
    ['docker.io/library/postgres:18.1-alpine', 70],
    ['postgres:17.6-bookworm', 999],
    ['postgres:17.6-trixie', 999],
    ['postgres:17.6', 999],
    ['postgres:15', 999],
    ['mirror.gcr.io/library/postgres:18.1-trixie', 999],
  ])('%s runs as uid and gid %d', (image, id) => {
    // GIVEN / WHEN an official image / THEN its postgres user's ids, also the fsGroup
    const { chart } = build({ image });
    expect(podSpec(only(synth(chart), 'StatefulSet')).securityContext).toMatchObject({ runAsUser: id, runAsGroup: id, fsGroup: id });
  });

  test.each<[string, string, string]>([
    ['postgres:18.1-bookworm', '/var/lib/postgresql/18/docker', '/var/lib/postgresql'],
    ['postgres:18.1-alpine3.22', '/var/lib/postgresql/18/docker', '/var/lib/postgresql'],
    ['postgres:17.6-bookworm', '/var/lib/postgresql/data/pgdata', '/var/lib/postgresql/data'],
    ['postgres:15.14-alpine', '/var/lib/postgresql/data/pgdata', '/var/lib/postgresql/data'],
  ])('%s keeps PGDATA at %s with the volume at %s', (image, pgdata, mountPath) => {
    // GIVEN / WHEN an image of a major version
    const { chart, db } = build({ image });
    const container = podSpec(only(synth(chart), 'StatefulSet')).containers[0];
    // THEN PGDATA and the volume's mount as that major's image lays them out
    expect(db.dataDirectory).toBe(pgdata);
    expect(container.env).toContainEqual({ name: 'PGDATA', value: pgdata });
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath });
  });
});

describe('PostgresDatabase settings cannot undo what the construct sets', () => {
  test.each(['ssl', 'ssl_cert_file', 'ssl_key_file', 'hba_file', 'ident_file', 'data_directory', 'config_file', 'listen_addresses', 'port', 'unix_socket_directories'])(
    'the owned setting %s is refused', (name) => {
      // GIVEN / WHEN a setting the construct owns
      const error = message(() => build({ settings: { [name]: 'x' } }));
      // THEN refused, naming it and the fix
      expect(error).toMatch(PATH);
      expect(error).toContain(`settings "${name}" is set by PostgresDatabase (TLS, files, socket, port); remove it; use the tls prop for TLS`);
    });

  test.each(['md5', 'MD5', 'on', 'scram'])('password_encryption %s is refused', (value) => {
    const error = message(() => build({ settings: { password_encryption: value } }));
    expect(error).toMatch(PATH);
    expect(error).toContain(`settings password_encryption "${value}" would store passwords as MD5 hashes`);
    expect(error).toMatch(/leave password_encryption out \(scram-sha-256\)/);
  });

  test('password_encryption scram-sha-256 is accepted', () => {
    const { chart } = build({ settings: { password_encryption: 'scram-sha-256', max_connections: '200' } });
    expect(podSpec(only(synth(chart), 'StatefulSet')).containers[0].args).toEqual(['-c', 'password_encryption=scram-sha-256', '-c', 'max_connections=200']);
  });

  test.each(['max connections', 'SSL', 'Max_Connections', 'ssl=off', '-c', 'a;b', '', 'a..b', '1abc', 'work_mem\nssl'])('the settings key %j is no setting name', (name) => {
    const error = message(() => build({ settings: { [name]: 'on' } }));
    expect(error).toMatch(PATH);
    expect(error).toContain(`settings key ${JSON.stringify(name)} is not a PostgreSQL setting name`);
    expect(error).toMatch(/use the setting's name, e.g. "max_connections"/);
  });

  test.each([
    ['a space', 'on -c ssl=off'],
    ['a single quote', '\'on\''],
    ['a double quote', '"on"'],
    ['a backslash', 'a\\b'],
    ['a newline', '4MB\nssl=off'],
    ['a tab', '4MB\t'],
    ['nothing', ''],
  ])('a value with %s is refused', (_, value) => {
    const error = message(() => build({ settings: { work_mem: value } }));
    expect(error).toMatch(PATH);
    expect(error).toContain('settings "work_mem" has a value with spaces, quotes or backslashes, or none; use a plain value, e.g. "200" or "4MB"');
  });

  test.each<[string, unknown, RegExp]>([
    ['a list', ['ssl=off'], /settings is a list, not a map of strings/],
    ['null', null, /settings is null, not a map of strings/],
    ['a number value', { max_connections: 200 }, /settings\["max_connections"\] is a number, not a string/],
  ])('settings as %s from JavaScript is refused', (_, settings, problem) => {
    const error = message(() => build({ settings }));
    expect(error).toMatch(PATH);
    expect(error).toMatch(problem);
  });
});

describe('PostgresDatabase tls', () => {
  function withTls(tls: unknown) {
    const { chart } = testChart();
    const secret = kplus.Secret.fromSecretName(chart, 'tls', 'db-tls');
    return message(() => build({ tls: typeof tls === 'function' ? tls(secret) : tls }, chart));
  }

  test('the same key for the certificate and the private key is refused', () => {
    const error = withTls((secret: kplus.ISecret) => ({ secret, certificateKey: 'tls.pem', privateKeyKey: 'tls.pem' }));
    expect(error).toMatch(PATH);
    expect(error).toContain('tls.certificateKey and tls.privateKeyKey are both "tls.pem"; name the two keys of the Secret (tls.crt and tls.key)');
  });

  test('the default key given again as the other key is refused', () => {
    expect(withTls((secret: kplus.ISecret) => ({ secret, privateKeyKey: 'tls.crt' }))).toMatch(/tls.certificateKey and tls.privateKeyKey are both "tls.crt"/);
  });

  test.each<[string, string, string]>([
    ['a path', 'certificateKey', '../tls.crt'],
    ['a slash', 'privateKeyKey', 'keys/tls.key'],
    ['empty', 'certificateKey', ''],
    ['a space', 'privateKeyKey', 'tls key'],
  ])('an invalid key (%s) is refused', (_, prop, key) => {
    const error = withTls((secret: kplus.ISecret) => ({ secret, [prop]: key }));
    expect(error).toMatch(PATH);
    expect(error).toContain(`tls.${prop} ${JSON.stringify(key)} is not a valid key`);
    expect(error).toMatch(/use letters, digits, "-", "_" and "\."/);
  });

  test.each<[string, unknown, RegExp]>([
    ['a Secret name', { secret: 'db-tls' }, /tls.secret is a string, not a Secret/],
    ['a plain object', { secret: { 'tls.key': pem('PRIVATE KEY') } }, /tls.secret is an object, not a Secret/],
    ['missing', {}, /tls.secret is missing, not a Secret/],
    ['tls as a boolean', true, /tls is a boolean, not an object/],
    ['an unknown key', { secret: undefined, caKey: 'ca.crt' }, /unknown key in tls "caKey"/],
  ])('%s is refused', (_, tls, problem) => {
    const error = withTls(tls);
    expect(error).toMatch(PATH);
    expect(error).toMatch(problem);
    expect(error).not.toContain(PEM_BODY);
  });

  test('a Secret given as tls.secret turns TLS on with its keys, mounted read-only, and clients require it', () => {
    // GIVEN a TLS Secret of the cluster (e.g. cert-manager's)
    const { chart } = testChart();
    const { db } = build({ tls: { secret: Prerequisite.secret(chart, 'db-tls') as unknown as kplus.ISecret } }, chart);
    const spec = podSpec(only(synth(chart), 'StatefulSet'));
    // WHEN / THEN ssl=on with the mounted files, and sslmode=require for clients
    expect(spec.containers[0].args).toEqual(['-c', 'ssl=on', '-c', 'ssl_cert_file=/etc/postgresql/tls/tls.crt', '-c', 'ssl_key_file=/etc/postgresql/tls/tls.key']);
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'secret-files-1', mountPath: '/etc/postgresql/tls', readOnly: true });
    expect(db.connection.tls).toBe(true);
    expect(Object.keys(db.clientEnv())).toContain('PGSSLMODE');
  });
});
