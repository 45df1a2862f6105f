import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-27';
import { EgressTarget, FlywayMigrationJob, FlywayMigrationJobProps, Migrations, Policy } from '../../../src';
import { FAKE } from '../../support/fake-secrets';
import { only, podSpec, schemaFindings, synth, testChart } from '../../support/helpers';

const SQL = (() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'flyway-jdbc-'));
  writeFileSync(path.join(dir, 'V1__init.sql'), 'SELECT 1;');
  return dir;
})();

function migrate(jdbcUrl: string, props: Partial<FlywayMigrationJobProps> = {}) {
  const { app, chart } = testChart();
  const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'db-credentials');
  new FlywayMigrationJob(chart, 'migrate', { name: 'mydb-migrate', jdbcUrl, credentials, migrations: Migrations.fromDirectory(SQL), ...props });
  const manifests = synth(chart);
  return { app, manifests, databaseRules: only(manifests, 'NetworkPolicy').spec.egress.slice(1), job: only(manifests, 'Job') };
}

const inNamespace = (ns: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } }, podSelector: {} });
const tcp = (port: number) => [{ protocol: 'TCP', port }];

describe('JDBC URLs: hosts become egress rules', () => {
  test.each<[string, string, unknown[]]>([
    ['a Service of the namespace', 'jdbc:postgresql://postgresql:5432/mydb', [{ to: [{ podSelector: {} }], ports: tcp(5432) }]],
    ['a Service in another namespace (.svc)', 'jdbc:postgresql://pg.data.svc/mydb', [{ to: [inNamespace('data')], ports: tcp(5432) }]],
    ['an upper-case, fully qualified Service', 'jdbc:postgresql://PG.Data.svc.cluster.local.:6432/mydb', [{ to: [inNamespace('data')], ports: tcp(6432) }]],
    ['an IPv4 address', 'jdbc:mysql://10.200.0.5/mydb', [{ to: [{ ipBlock: { cidr: '10.200.0.5/32' } }], ports: tcp(3306) }]],
    ['an IPv6 address', 'jdbc:postgresql://[fd00::5]:5433/mydb', [{ to: [{ ipBlock: { cidr: 'fd00::5/128' } }], ports: tcp(5433) }]],
    ['PostgreSQL failover hosts, one rule per host and port', 'jdbc:postgresql://pg-0.data.svc:5432,10.0.0.7:5433/mydb?targetServerType=primary', [
      { to: [inNamespace('data')], ports: tcp(5432) }, { to: [{ ipBlock: { cidr: '10.0.0.7/32' } }], ports: tcp(5433) },
    ]],
    ['a MySQL host list in brackets', 'jdbc:mysql://[10.0.0.1:3306,10.0.0.2]/db', [
      { to: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: tcp(3306) }, { to: [{ ipBlock: { cidr: '10.0.0.2/32' } }], ports: tcp(3306) },
    ]],
    ['MySQL load balancing, one Service twice', 'jdbc:mysql:loadbalance://mysql:3306,mysql:3306/db', [{ to: [{ podSelector: {} }], ports: tcp(3306) }]],
    ['MariaDB failover with default ports', 'jdbc:mariadb:failover://m1.db.svc,m2.db.svc/db', [{ to: [inNamespace('db')], ports: tcp(3306) }]],
    ['SQL Server with properties', 'jdbc:sqlserver://mssql.data.svc:1433;databaseName=mydb;encrypt=true', [{ to: [inNamespace('data')], ports: tcp(1433) }]],
    ['a SQL Server instance with its port', 'jdbc:sqlserver://mssql\\INST1:14330;databaseName=mydb', [{ to: [{ podSelector: {} }], ports: tcp(14330) }]],
    ['Oracle EZConnect', 'jdbc:oracle:thin:@//oracle.data.svc:1521/ORCLPDB1', [{ to: [inNamespace('data')], ports: tcp(1521) }]],
    ['Oracle host:port:SID', 'jdbc:oracle:thin:@10.1.2.3:1522:ORCL', [{ to: [{ ipBlock: { cidr: '10.1.2.3/32' } }], ports: tcp(1522) }]],
    ['a user without a password', 'jdbc:mysql://app@mysql/mydb', [{ to: [{ podSelector: {} }], ports: tcp(3306) }]],
    ['a parameter that only mentions passwords', 'jdbc:mysql://mysql/mydb?passwordCharacterEncoding=utf8&allowPublicKeyRetrieval=false', [
      { to: [{ podSelector: {} }], ports: tcp(3306) },
    ]],
  ])('%s', (_, url, rules) => {
    // GIVEN / WHEN
    const { app, manifests, databaseRules, job } = migrate(url);
    // THEN
    expect(databaseRules).toEqual(rules);
    expect(podSpec(job).containers[0].env.find((e: any) => e.name === 'FLYWAY_URL').value).toBe(url);
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('a host outside the cluster with a database egress target', () => {
    // GIVEN / WHEN
    const { databaseRules } = migrate('jdbc:postgresql://pg.example.com.:5432/mydb', { databaseEgress: EgressTarget.cidr('10.9.0.0/24', { tcp: [5432] }) });
    // THEN
    expect(databaseRules).toEqual([{ to: [{ ipBlock: { cidr: '10.9.0.0/24' } }], ports: tcp(5432) }]);
  });
});

describe('JDBC URLs: credentials in any syntax are refused without echoing them', () => {
  test.each<[string, string, RegExp]>([
    ['user:password@', 'jdbc:postgresql://app:S3cr3tValue@pg:5432/db', /password in its user-info part/],
    ['user:password@ before a MySQL host list', 'jdbc:mysql://app:S3cr3tValue@[h1:3306,h2:3306]/db', /password in its user-info part/],
    ['?password=', 'jdbc:postgresql://pg/db?password=S3cr3tValue', /the "password" parameter/],
    ['&password= after user=', 'jdbc:mysql://host/db?user=root&password=S3cr3tValue', /the "password" parameter/],
    ['SQL Server ;password=', 'jdbc:sqlserver://mssql:1433;databaseName=db;password=S3cr3tValue', /the "password" parameter/],
    ['ODBC-style ;PWD=', 'jdbc:sqlserver://mssql:1433;user=sa;PWD={S3cr3tValue}', /the "PWD" parameter/],
    [';pwd=', 'jdbc:sqlserver://mssql:1433;pwd=S3cr3tValue', /the "pwd" parameter/],
    ['upper case PASSWORD=', 'jdbc:postgresql://pg/db?PASSWORD=S3cr3tValue', /the "PASSWORD" parameter/],
    ['sslpassword=', 'jdbc:postgresql://pg/db?sslmode=verify-full&sslpassword=S3cr3tValue', /the "sslpassword" parameter/],
    ['a key store password', 'jdbc:mysql://mysql/db?clientCertificateKeyStorePassword=S3cr3tValue', /the "clientCertificateKeyStorePassword" parameter/],
    ['an access token', 'jdbc:sqlserver://mssql:1433;accessToken=S3cr3tValue', /the "accessToken" parameter/],
    ['an empty password', 'jdbc:postgresql://pg/db?password=', /the "password" parameter/],
    ['Oracle user/password@', 'jdbc:oracle:thin:scott/S3cr3tValue@//oracle:1521/ORCL', /Oracle's user\/password@ prefix/],
    ['Oracle user/password@host:port:SID', 'jdbc:oracle:thin:scott/S3cr3tValue@oracle:1521:ORCL', /Oracle's user\/password@ prefix/],
    ['MySQL (host=…,password=…)', 'jdbc:mysql://(host=mysql,port=3306,user=app,password=S3cr3tValue)/db', /the "password" parameter/],
    ['MySQL address=(…)(password=…)', 'jdbc:mysql://address=(host=mysql)(port=3306)(password=S3cr3tValue)/db', /the "password" parameter/],
    ['a percent-encoded parameter name', 'jdbc:postgresql://pg/db?%70assword=S3cr3tValue', /the "password" parameter \(percent-encoded\)/],
    ['a parameter name encoded twice', 'jdbc:postgresql://pg/db?%2570assword=S3cr3tValue', /the "password" parameter \(percent-encoded twice\)/],
    ['an encoded user-info colon', 'jdbc:postgresql://app%3AS3cr3tValue@pg/db', /password in its user-info part.*\(percent-encoded\)/],
    ['a PEM key inline', 'jdbc:postgresql://pg/db?sslkey=-----BEGIN%20PRIVATE%20KEY-----MIIEvQ-----END%20PRIVATE%20KEY-----', /PEM private key/],
    ['a token of known shape in an innocent parameter', 'jdbc:postgresql://pg/db?applicationName=ghp_abcdefghijklmnopqrstuvwxyz0123456789', /GitHub token/],
    ['user:password@ after a single slash', 'jdbc:postgresql:/app:S3cr3tValue@pg/db', /password in its user-info part/],
    ['user:password@ without slashes', 'jdbc:postgresql:app:S3cr3tValue@pg/db', /password in its user-info part/],
    ['user:password@ after three slashes', 'jdbc:postgresql:///app:S3cr3tValue@pg/db', /password in its user-info part/],
    ['a password holding "?"', 'jdbc:postgresql://app:S3cr?3tValue@pg/db', /password in its user-info part/],
    ['user:password@ inside a MySQL host list', 'jdbc:mysql://[app:S3cr3tValue@h1:3306,h2:3306]/db', /password in its user-info part/],
    ['Oracle user:password@', 'jdbc:oracle:thin:scott:S3cr3tValue@oracle:1521:ORCL', /password in its user-info part/],
    ['DB2 :password= after the database', 'jdbc:db2://db2:50000/db:password=S3cr3tValue;', /the "password" parameter/],

  ])('%s', (_, url, message) => {
    // GIVEN / WHEN / THEN
    expect(() => migrate(url)).toThrow(message);
    expect(() => migrate(url)).toThrow(/^FlywayMigrationJob shop\/migrate: jdbcUrl (carries|holds) .*which would be written into the manifest in clear text; keep user and password in the credentials Secret/);
    expect(() => migrate(url)).not.toThrow(/S3cr3tValue|ghp_|BEGIN/);
  });
});

describe('JDBC URLs: hostile hosts', () => {
  test.each<[string, string, RegExp]>([
    ['localhost', 'jdbc:postgresql://localhost:5432/db', /the JDBC host "localhost" is the loopback interface/],
    ['LOCALHOST with a trailing dot', 'jdbc:postgresql://LOCALHOST.:5432/db', /the JDBC host "LOCALHOST." is the loopback interface/],
    ['a *.localhost name', 'jdbc:postgresql://db.localhost/db', /is the loopback interface/],
    ['127.0.0.1', 'jdbc:postgresql://127.0.0.1:5432/db', /address "127.0.0.1" is loopback/],
    ['[::1]', 'jdbc:postgresql://[::1]:5432/db', /address "::1" is loopback/],
    ['the metadata address', 'jdbc:mysql://169.254.169.254/db', /address "169.254.169.254" is /],
    ['the GCP metadata name', 'jdbc:mysql://metadata.google.internal/db', /the cloud instance metadata service/],
    ['the API server', 'jdbc:postgresql://kubernetes.default.svc:443/db', /the Kubernetes API server/],
    ['the API server by its short name', 'jdbc:postgresql://kubernetes:443/db', /the Kubernetes API server/],
    ['an address written as a number', 'jdbc:postgresql://2852039166/db', /an IP address written as a name/],
    ['an address written in hex', 'jdbc:postgresql://0x7f000001/db', /an IP address written as a name/],
    ['a short dotted address', 'jdbc:postgresql://127.1/db', /an IP address written as a name/],
    ['an absolute single-label name', 'jdbc:postgresql://postgresql.:5432/db', /ends in a dot: an absolute name is not looked up in the cluster's search domains/],
    ['an absolute name.ns.svc', 'jdbc:postgresql://pg.data.svc./db', /ends in a dot/],
    ['an ambiguous name.namespace', 'jdbc:postgresql://pg.data/db', /may be a Service \(<name>.<namespace>\) or a host outside the cluster.*write pg.data.svc/],
    ['an in-cluster name of no Service form', 'jdbc:postgresql://a.b.c.svc/db', /is inside the cluster but not a Service name of the form <name>.<namespace>.svc/],
    ['an external name without databaseEgress', 'jdbc:postgresql://pg.example.com/db', /pass databaseEgress: EgressTarget.cidr/],
    ['a percent-encoded host', 'jdbc:postgresql://%6cocalhost/db', /is percent-encoded/],
    ['an underscore in the host', 'jdbc:postgresql://my_db/db', /the JDBC host "my_db" is not a valid DNS-1123 subdomain/],
    ['an empty host', 'jdbc:postgresql:///db', /names no host/],
    ['an empty host in a list', 'jdbc:postgresql://pg1,,pg2/db', /has an empty host in its host list/],
    ['one bad host among good ones', 'jdbc:postgresql://pg-0:5432,169.254.169.254:5432/db', /address "169.254.169.254" is /],
    ['MySQL key-value hosts', 'jdbc:mysql://(host=mysql,port=3306)/db', /MySQL's key-value form/],
    ['an Oracle descriptor', 'jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=o)(PORT=1521)))', /Oracle connect descriptor/],
    ['a SQL Server instance without a port', 'jdbc:sqlserver://mssql\\INST1;databaseName=db', /SQL Server Browser \(UDP 1434\)/],
    ['a SQL Server serverName property', 'jdbc:sqlserver://mssql:1433;serverName=10.0.0.9', /sets the "serverName" parameter.*NetworkPolicy would not match it/],
    ['a SQL Server failover partner', 'jdbc:sqlserver://mssql:1433;failoverPartner=mssql2', /sets the "failoverPartner" parameter/],
    ['pgJDBC\'s PGHOST', 'jdbc:postgresql://pg/db?PGHOST=10.0.0.9', /sets the "PGHOST" parameter/],
    ['port 0', 'jdbc:postgresql://pg:0/db', /JDBC port 0/],
    ['port 99999', 'jdbc:postgresql://pg:99999/db', /JDBC port 99999/],
    ['a port that is no number (named by its host, not quoted)', 'jdbc:postgresql://pg:54x/db', /has a port after the host "pg" that is not a number/],
    ['a driver without a default port', 'jdbc:db2://db2:/db', /names no port for "db2", and db2 has no known default/],
    ['an in-memory database', 'jdbc:h2:mem:test', /is not of the form jdbc:<driver>:\/\/<host>/],
    ['pgJDBC\'s host-less form (localhost)', 'jdbc:postgresql:mydb', /is not of the form/],
    ['a line break', 'jdbc:postgresql://pg/db\n?x=1', /jdbcUrl contains a blank, a line break or a control character/],
  ])('%s is refused', (_, url, message) => {
    // GIVEN / WHEN / THEN
    expect(() => migrate(url)).toThrow(message);
    expect(() => migrate(url)).toThrow(/^FlywayMigrationJob shop\/migrate: /);
  });

  test('special hosts are refused even with a database egress target', () => {
    // GIVEN
    const databaseEgress = EgressTarget.cidr('10.9.0.0/24', { tcp: [5432] });
    // WHEN / THEN
    expect(() => migrate('jdbc:postgresql://metadata/db', { databaseEgress })).toThrow(/the cloud instance metadata service/);
    expect(() => migrate('jdbc:postgresql://localhost/db', { databaseEgress })).toThrow(/loopback/);
  });

  test.each([
    ['IPv4-mapped loopback', 'jdbc:postgresql://[::ffff:127.0.0.1]:5432/db'],
    ['IPv4-mapped metadata', 'jdbc:postgresql://[::ffff:169.254.169.254]/db'],
    ['the AWS IPv6 metadata address', 'jdbc:postgresql://[fd00:ec2::254]/db'],
    ['the Alibaba metadata address', 'jdbc:postgresql://100.100.100.200/db'],
  ])('%s is refused (validateExternalAddress)', (_, url) => {
    // GIVEN / WHEN / THEN
    expect(() => migrate(url)).toThrow(/^FlywayMigrationJob shop\/migrate: address /);
  });
});

describe('JDBC URLs: no error quotes a secret, whatever the syntax', () => {
  const SECRETS = Object.entries(FAKE);
  const encode = (value: string) => encodeURIComponent(value);
  /** URL syntaxes that carry a credential: each must be refused. */
  const CARRYING: Array<(secret: string) => string> = [
    (s) => `jdbc:postgresql://admin:${s}@pg:5432/db`,
    (s) => `jdbc:postgresql://admin:${encode(s)}@pg:5432/db`,
    (s) => `jdbc:postgresql://admin:${encode(encode(s))}@pg:5432/db`,
    (s) => `jdbc:postgresql:/admin:${s}@pg/db`,
    (s) => `jdbc:postgresql:admin:${s}@pg/db`,
    (s) => `jdbc:postgresql:///admin:${s}@pg/db`,
    (s) => `jdbc:postgresql:admin:${encode(s)}@pg/db`,
    (s) => `jdbc:mysql://admin:${s}@[h1:3306,h2:3306]/db`,
    (s) => `jdbc:mysql://[admin:${encode(s)}@h1:3306,h2:3306]/db`,
    (s) => `jdbc:mysql:loadbalance://admin:${encode(s)}@h1,h2/db`,
    (s) => `jdbc:postgresql://pg/db?password=${s}`,
    (s) => `jdbc:postgresql://pg/db?user=admin&password=${encode(s)}`,
    (s) => `jdbc:postgresql://pg/db?sslmode=verify-full&sslpassword=${encode(s)}`,
    (s) => `jdbc:postgresql://pg/db?%70assword=${encode(s)}`,
    (s) => `jdbc:sqlserver://mssql:1433;databaseName=db;password=${s}`,
    (s) => `jdbc:sqlserver://mssql:1433;user=sa;PWD={${s}}`,
    (s) => `jdbc:sqlserver://mssql:1433;accessToken=${s}`,
    (s) => `jdbc:oracle:thin:scott/${s}@//oracle:1521/ORCL`,
    (s) => `jdbc:oracle:thin:scott/${encode(s)}@oracle:1521:ORCL`,
    (s) => `jdbc:oracle:thin:scott:${encode(s)}@oracle:1521:ORCL`,
    (s) => `jdbc:mysql://(host=mysql,port=3306,user=app,password=${encode(s)})/db`,
    (s) => `jdbc:mysql://address=(host=mysql)(port=3306)(password=${encode(s)})/db`,
    (s) => `jdbc:db2://db2:50000/db:password=${encode(s)};`,
    (s) => `jdbc:informix-sqli://ifx:9088/db:INFORMIXSERVER=ifx;password=${encode(s)}`,
  ];
  /** Places a secret may end up by mistake, refused or not: no error may quote it. */
  const MISPLACED: Array<(secret: string) => string> = [
    (s) => `jdbc:postgresql://admin:${s}/db`,
    (s) => `jdbc:postgresql://pg:${encode(s)}/db`,
    (s) => `jdbc:postgresql:${s}`,
    (s) => `jdbc:postgresql:${encode(s)}`,
    (s) => `jdbc:${s}`,
    (s) => `jdbc:postgresql://${s}@pg/db`,
    (s) => `jdbc:postgresql://pg/db?applicationName=${encode(s)}`,
    (s) => `jdbc:oracle:thin:${s}`,
    (s) => `jdbc:sqlserver://mssql\\${encode(s)};databaseName=db`,
  ];

  /** Whether a message holds the secret, its percent-encoding or any 8 characters of either. */
  function leaks(message: string, secret: string): boolean {
    for (const form of [secret, encode(secret)]) {
      for (let i = 0; i + 8 <= form.length; i++) if (message.includes(form.slice(i, i + 8))) return true;
    }
    return false;
  }

  function errorOf(url: string): Error | undefined {
    try {
      migrate(url);
    } catch (e) {
      return e as Error;
    }
    return undefined;
  }

  test.each(CARRYING.map((syntax, i) => [i, syntax] as const))('credential syntax %i is refused for every fake secret without quoting it', (_, syntax) => {
    for (const [kind, secret] of SECRETS) {
      // GIVEN a URL carrying a fake secret / WHEN used
      const error = errorOf(syntax(secret));
      // THEN refused with the construct path, and no part of the secret in the message
      expect({ kind, refused: error !== undefined }).toEqual({ kind, refused: true });
      expect(error).not.toBeInstanceOf(TypeError);
      expect(error!.message).toMatch(/^FlywayMigrationJob shop\/migrate: jdbcUrl/);
      expect({ kind, leaks: leaks(error!.message, secret) }).toEqual({ kind, leaks: false });
    }
  });

  test.each(MISPLACED.map((syntax, i) => [i, syntax] as const))('a secret misplaced in syntax %i is never quoted', (_, syntax) => {
    for (const [kind, secret] of SECRETS) {
      // GIVEN a URL with a fake secret where no credential belongs / WHEN used
      const error = errorOf(syntax(secret));
      // THEN accepted (nothing recognises it) or refused with the construct path, and no part of it in the message
      if (error === undefined) continue;
      expect(error).not.toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/^FlywayMigrationJob shop\/migrate: /);
      expect({ kind, leaks: leaks(error.message, secret) }).toEqual({ kind, leaks: false });
    }
  });

  test('guard: the leak check catches a quoted secret', () => {
    // GIVEN a message quoting part of a secret / WHEN checked / THEN it leaks
    expect(leaks(`jdbcUrl "x${FAKE.password.slice(2)}" is wrong`, FAKE.password)).toBe(true);
    expect(leaks('jdbcUrl is wrong', FAKE.password)).toBe(false);
  });

  test.each([
    ['an Azure user name with "@" in a parameter', 'jdbc:postgresql://10.0.0.5:5432/db?user=admin@myserver&sslmode=require'],
    ['Oracle thin with "@" after the driver type', 'jdbc:oracle:thin:@oracle:1521:ORCL'],
  ])('guard: %s is no credential', (_, url) => {
    // GIVEN / WHEN / THEN accepted
    expect(() => migrate(url)).not.toThrow();
  });
});
