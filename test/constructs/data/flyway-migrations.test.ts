import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-27';
import * as YAML from 'yaml';
import { FlywayMigrationJob, Migrations, Policy } from '../../../src';
import { only, podSpec, schemaFindings, synth, testChart } from '../../support/helpers';

/** A fixture tree in a fresh temporary directory: `{ 'sub/V2__x.sql': 'SQL' }`, Buffers for raw bytes. */
function tree(files: { [rel: string]: string | Buffer }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'flyway-tree-'));
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

function migrate(directory: string) {
  const { app, chart } = testChart();
  const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'pg-credentials');
  const job = new FlywayMigrationJob(chart, 'migrate', {
    name: 'mydb-migrate', jdbcUrl: 'jdbc:postgresql://postgresql:5432/mydb', credentials, migrations: Migrations.fromDirectory(directory),
  });
  const manifests = synth(chart);
  return { app, job, manifests, configMap: only(manifests, 'ConfigMap'), spec: podSpec(only(manifests, 'Job')) };
}

/** The files as the pod sees them under /flyway/sql: relative path → content. */
function mounted(configMap: any, spec: any): { [rel: string]: string } {
  const volume = spec.volumes.find((v: any) => v.name === 'migrations').configMap;
  expect(volume.name).toBe(configMap.metadata.name);
  const items: Array<{ key: string; path: string }> = volume.items ?? Object.keys(configMap.data).map((key) => ({ key, path: key }));
  return Object.fromEntries(items.map((item) => [item.path, configMap.data[item.key]]));
}

describe('Migrations.fromDirectory: what Flyway scans is what the pod gets', () => {
  test('files in subdirectories are mounted at their relative paths', () => {
    // GIVEN
    const dir = tree({ 'V1__init.sql': 'CREATE TABLE a (id INT);', 'tables/V2__cars.sql': 'CREATE TABLE car (id INT);', 'tables/2024/R__views.sql': 'SELECT 1;' });
    // WHEN
    const { app, manifests, configMap, spec } = migrate(dir);
    // THEN
    expect(mounted(configMap, spec)).toEqual({
      'V1__init.sql': 'CREATE TABLE a (id INT);', 'tables/V2__cars.sql': 'CREATE TABLE car (id INT);', 'tables/2024/R__views.sql': 'SELECT 1;',
    });
    for (const key of Object.keys(configMap.data)) expect(key).toMatch(/^[-._a-zA-Z0-9]{1,253}$/);
    expect(schemaFindings(manifests)).toEqual([]);
    expect(Policy.report(app).findings).toEqual([]);
  });

  test('a flat directory keeps the plain layout (file name = key, no items)', () => {
    // GIVEN / WHEN
    const { configMap, spec } = migrate(tree({ 'V1__a.sql': 'SELECT 1;', 'R__b.sql': 'SELECT 2;' }));
    // THEN
    expect(Object.keys(configMap.data).sort()).toEqual(['R__b.sql', 'V1__a.sql']);
    expect(spec.volumes.find((v: any) => v.name === 'migrations').configMap.items).toBeUndefined();
  });

  test('keys of nested files cannot collide with each other or with top-level files', () => {
    // GIVEN names that a naive flattening (a/b → a.b, a/b → a_b) would merge
    const dir = tree({ 'a/V1__x.sql': '1', 'a.b/V2__x.sql': '2', 'a/b/V3__x.sql': '3', 'a_b/V4__x.sql': '4', 'V5__x.sql': '5' });
    // WHEN
    const { configMap, spec } = migrate(dir);
    // THEN every file arrives, at its own path
    expect(mounted(configMap, spec)).toEqual({ 'a/V1__x.sql': '1', 'a.b/V2__x.sql': '2', 'a/b/V3__x.sql': '3', 'a_b/V4__x.sql': '4', 'V5__x.sql': '5' });
    expect(new Set(Object.keys(configMap.data)).size).toBe(5);
  });

  test('moving a file to a subdirectory makes a new Job (the pod template changes)', () => {
    // GIVEN / WHEN
    const flat = migrate(tree({ 'V1__a.sql': 'SELECT 1;' })).job.jobName;
    const nested = migrate(tree({ 'sub/V1__a.sql': 'SELECT 1;' })).job.jobName;
    // THEN
    expect(nested).not.toBe(flat);
  });

  test('content is kept byte for byte: UTF-8 with a byte order mark, CRLF, non-ASCII', () => {
    // GIVEN
    const sql = '\uFEFFINSERT INTO t VALUES (\'café ☕ 𝄞\');\r\nSELECT 1;\r\n';
    const dir = tree({ 'V1__bom.sql': Buffer.from(sql, 'utf8') });
    // WHEN
    const { app, configMap } = migrate(dir);
    // THEN the ConfigMap holds the file's exact bytes, also through YAML
    expect(Buffer.from(configMap.data['V1__bom.sql'], 'utf8').equals(readFileSync(path.join(dir, 'V1__bom.sql')))).toBe(true);
    const yaml = YAML.parseAllDocuments(app.synthYaml()).map((d) => d.toJS()).find((m: any) => m.kind === 'ConfigMap');
    expect(yaml.data['V1__bom.sql']).toBe(sql);
  });

  test('a link to a file inside the directory is read as the link\'s name', () => {
    // GIVEN
    const dir = tree({ 'shared/V1__a.sql': 'SELECT 1;' });
    symlinkSync(path.join(dir, 'shared', 'V1__a.sql'), path.join(dir, 'V2__same_as_v1.sql'));
    // WHEN
    const { configMap, spec } = migrate(dir);
    // THEN
    expect(mounted(configMap, spec)).toEqual({ 'shared/V1__a.sql': 'SELECT 1;', 'V2__same_as_v1.sql': 'SELECT 1;' });
  });

  test('a script configuration beside its migration is kept', () => {
    // GIVEN / WHEN
    const { configMap, spec } = migrate(tree({ 'sub/V1__index.sql': 'CREATE INDEX CONCURRENTLY i ON t (c);', 'sub/V1__index.sql.conf': 'executeInTransaction=false' }));
    // THEN
    expect(mounted(configMap, spec)['sub/V1__index.sql.conf']).toBe('executeInTransaction=false');
  });

  test('long timestamp versions are compared exactly', () => {
    // GIVEN versions that differ beyond Number's precision (2^53)
    const dir = tree({ 'V20241128123456789012__x.sql': 'SELECT 1;', 'V20241128123456789013__y.sql': 'SELECT 2;' });
    // WHEN / THEN
    expect(Object.keys(migrate(dir).configMap.data)).toHaveLength(2);
  });

  test('SQL that mentions passwords without setting one is accepted', () => {
    // GIVEN
    const sql = [
      'CREATE TABLE users (id INT, password_hash TEXT NOT NULL, api_token_ttl INT);',
      'UPDATE users SET password = NULL WHERE id = 1;',
      'SELECT * FROM t WHERE token = :token;',
      'CREATE ROLE app LOGIN PASSWORD \'${app_password}\';',
    ].join('\n');
    // WHEN / THEN
    expect(() => migrate(tree({ 'V1__users.sql': sql }))).not.toThrow();
  });
});

describe('Migrations.fromDirectory: hostile trees', () => {
  test.each<[string, { [rel: string]: string | Buffer }, RegExp]>([
    ['duplicate versions across subdirectories', { 'a/V1__x.sql': '1', 'b/V1.0__y.sql': '2' }, /migration files "a\/V1__x.sql" and "b\/V1.0__y.sql" have the same version 1/],
    ['1 and 01', { 'V1__x.sql': '1', 'V01__y.sql': '2' }, /have the same version 1;/],
    ['1 and 1_0', { 'V1__x.sql': '1', 'V1_0__y.sql': '2' }, /have the same version 1;/],
    ['1.01 and 1.1', { 'V1.01__x.sql': '1', 'V1.1__y.sql': '2' }, /have the same version 1.1;/],
    ['equal long timestamps with leading zeros', { 'V020241128123456789012__x.sql': '1', 'sub/V20241128123456789012.0__y.sql': '2' },
      /have the same version 20241128123456789012;/],
    ['repeatable migrations with one description', { 'a/R__views.sql': '1', 'b/R__views.sql': '2' }, /repeatable migrations "a\/R__views.sql" and "b\/R__views.sql" have the same description/],
    ['a lower-case prefix', { 'v1__x.sql': '1' }, /migration file "v1__x.sql" is not named V<version>__<description>.sql.*prefixes V and R case-sensitively/],
    ['one underscore', { 'V1__a.sql': '1', 'sub/V2_x.sql': '2' }, /migration file "sub\/V2_x.sql" is not named.*two underscores/],
    ['an upper-case suffix', { 'V1__x.SQL': '1' }, /migration file "V1__x.SQL" is not named.*suffix .sql case-sensitively/],
    ['an undo migration', { 'V1__x.sql': '1', 'U1__x.sql': '2' }, /migration file "U1__x.sql" is not named.*undo migrations need Flyway Teams/],
    ['no version', { 'V__x.sql': '1' }, /migration file "V__x.sql" is not named/],
    ['a README in a subdirectory', { 'V1__x.sql': '1', 'docs/README.md': '#' }, /migration file "docs\/README.md" is not named/],
    ['a hidden file', { 'V1__x.sql': '1', '.V2__x.sql': '2' }, /migrations entry ".V2__x.sql" is hidden/],
    ['a hidden directory', { 'V1__x.sql': '1', '.old/V2__x.sql': '2' }, /migrations entry ".old" is hidden.*remove it/],
    ['a .gitkeep', { 'V1__x.sql': '1', 'empty/.gitkeep': '' }, /migrations entry "empty\/.gitkeep" is hidden/],
    ['a directory name with a blank', { 'my dir/V1__x.sql': '1' }, /migrations subdirectory "my dir" has a name other than/],
    ['only empty subdirectories', { 'a/b/V1__x.sql.conf': 'x' }, /script configuration "a\/b\/V1__x.sql.conf" has no migration|has no migrations/],
    ['a script configuration without its migration', { 'V1__x.sql': '1', 'V2__y.sql.conf': 'x' }, /script configuration "V2__y.sql.conf" has no migration "V2__y.sql" beside it/],
    ['Latin-1 bytes', { 'V1__x.sql': Buffer.from([0x53, 0x45, 0x4c, 0xe9, 0x3b]) }, /migration file "V1__x.sql" is not valid UTF-8.*never converted for you/],
    ['UTF-16 with its byte order mark', { 'sub/V1__x.sql': Buffer.from('\uFEFFSELECT 1;', 'utf16le') }, /migration file "sub\/V1__x.sql" is not valid UTF-8/],
    ['a key too long for a ConfigMap', { [`sub/V1__${'a'.repeat(240)}.sql`]: '1' }, /has a name too long for a ConfigMap key \(261 > 253/],
    ['a PostgreSQL role password', { 'V1__x.sql': 'SELECT 1;\nCREATE ROLE app LOGIN PASSWORD \'S3cret!\';' }, /migration file "V1__x.sql" sets a literal password .* on line 2/],
    ['a PostgreSQL md5 hash', { 'V1__x.sql': 'ALTER ROLE app ENCRYPTED PASSWORD \'md5abcdef0123456789abcdef01234567\';' }, /sets a literal password/],
    ['a MySQL password', { 'V1__x.sql': 'CREATE USER \'app\'@\'%\' IDENTIFIED BY "S3cret!";' }, /sets a literal password/],
    ['an Oracle password', { 'V1__x.sql': 'CREATE USER app IDENTIFIED BY S3cret;' }, /sets a literal password/],
    ['a SQL Server login', { 'V1__x.sql': 'CREATE LOGIN app WITH PASSWORD = N\'S3cret!\';' }, /sets a literal password/],
  ])('%s is refused', (_, files, message) => {
    // GIVEN
    const dir = tree(files);
    const before = Object.fromEntries(Object.keys(files).map((rel) => [rel, readFileSync(path.join(dir, ...rel.split('/')))]));
    // WHEN / THEN
    expect(() => migrate(dir)).toThrow(message);
    expect(() => migrate(dir)).toThrow(/^FlywayMigrationJob shop\/migrate: /);
    // and nothing was rewritten
    for (const [rel, bytes] of Object.entries(before)) expect(readFileSync(path.join(dir, ...rel.split('/'))).equals(bytes)).toBe(true);
  });

  test('the error about a secret never shows it', () => {
    // GIVEN / WHEN / THEN
    expect(() => migrate(tree({ 'V1__x.sql': 'CREATE ROLE app LOGIN PASSWORD \'S3cret!\';' }))).not.toThrow(/S3cret/);
  });

  test('a link to a file outside the directory', () => {
    // GIVEN
    const outside = tree({ passwd: 'root:x:0:0' });
    const dir = tree({ 'V1__x.sql': '1' });
    symlinkSync(path.join(outside, 'passwd'), path.join(dir, 'V2__y.sql'));
    // WHEN / THEN
    expect(() => migrate(dir)).toThrow(/migrations entry "V2__y.sql" is a link out of the migrations directory/);
  });

  test('a relative link that climbs out of the directory', () => {
    // GIVEN
    const dir = tree({ 'sub/V1__x.sql': '1', 'secret.sql': 'x' });
    const inner = path.join(dir, 'sub');
    symlinkSync('../../', path.join(inner, 'up'));
    // WHEN / THEN
    expect(() => migrate(inner)).toThrow(/migrations entry "up" is a link out of the migrations directory/);
  });

  test('a link to a directory inside, and a link to itself', () => {
    // GIVEN
    const dir = tree({ 'a/V1__x.sql': '1' });
    symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
    const loop = tree({ 'V1__x.sql': '1' });
    symlinkSync('.', path.join(loop, 'again'));
    // WHEN / THEN
    expect(() => migrate(dir)).toThrow(/migrations entry "b" is a link to a directory/);
    expect(() => migrate(loop)).toThrow(/migrations entry "again" is a link to a directory/);
  });

  test('a broken link', () => {
    // GIVEN
    const dir = tree({ 'V1__x.sql': '1' });
    symlinkSync(path.join(dir, 'gone.sql'), path.join(dir, 'V2__y.sql'));
    // WHEN / THEN
    expect(() => migrate(dir)).toThrow(/migrations entry "V2__y.sql" is a link that leads nowhere \(ENOENT\)/);
  });

  test('a named pipe is refused, not read (reading it would hang synth)', () => {
    // GIVEN
    const dir = tree({ 'V1__x.sql': '1' });
    execFileSync('mkfifo', [path.join(dir, 'V2__pipe.sql')]);
    // WHEN / THEN
    expect(() => migrate(dir)).toThrow(/migrations entry "V2__pipe.sql" is not a regular file/);
  });

  test('a file where a directory is expected, and a directory with no migrations', () => {
    // GIVEN
    const dir = tree({ 'V1__x.sql': '1' });
    const empty = tree({});
    mkdirSync(path.join(empty, 'nothing'));
    // WHEN / THEN
    expect(() => migrate(path.join(dir, 'V1__x.sql'))).toThrow(/migrations directory ".*V1__x.sql" cannot be read \(ENOTDIR\)/);
    expect(() => migrate(empty)).toThrow(/migrations directory ".*" has no migrations/);
  });

  test('a directory that is not a string (JavaScript)', () => {
    // GIVEN
    const { chart } = testChart();
    const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'pg-credentials');
    // WHEN / THEN
    expect(() => new FlywayMigrationJob(chart, 'migrate', { jdbcUrl: 'jdbc:postgresql://pg/db', credentials, migrations: Migrations.fromDirectory(42 as any) }))
      .toThrow(/FlywayMigrationJob shop\/migrate: migrations directory \(Migrations.fromDirectory\) is a number, not a string/);
    expect(() => new FlywayMigrationJob(chart, 'migrate2', { jdbcUrl: 'jdbc:postgresql://pg/db', credentials, migrations: Migrations.fromImage(undefined as any) }))
      .toThrow(/FlywayMigrationJob shop\/migrate2: the migrations image \(Migrations.fromImage\) is missing, not a string/);
  });
});
