// The rendered pod spec against what the official image needs, read from the image's own files.
import * as fs from 'fs';
import * as path from 'path';
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { PostgresDatabase, PostgresDatabaseProps } from '../../../src';
import { Manifest, only, podSpec, synth, testChart } from '../../support/helpers';

/**
 * What the official images say about themselves, copied from docker-library/postgres at commit
 * 6edb0a8c4def40c371514b34aef9037ec82d9110 (MIT), the lines quoted in test/fixtures/postgres-image/:
 * - `<major>/<debian>/Dockerfile`: `groupadd -r postgres --gid=999`, `useradd -r -g postgres --uid=999 …`;
 *   `<major>/<alpine>/Dockerfile`: `addgroup -g 70 -S postgres`, `adduser -u 70 -S -D -G postgres …`;
 * - 15 to 17: `ENV PGDATA /var/lib/postgresql/data`, `VOLUME /var/lib/postgresql/data`;
 *   18: `ENV PGDATA /var/lib/postgresql/18/docker`, `VOLUME /var/lib/postgresql` (moved in 18);
 * - every variant: `RUN install --directory … /var/run/postgresql` (the socket directory; Alpine's build patches
 *   DEFAULT_PGSOCKET_DIR to it);
 * - `docker-entrypoint.sh`: `file_env 'POSTGRES_PASSWORD'` reads `$POSTGRES_PASSWORD_FILE` (and exits when both it and
 *   POSTGRES_PASSWORD are set); `docker_create_db_directories` runs `mkdir -p "$PGDATA"`, `chmod 00700 "$PGDATA"`,
 *   `mkdir -p /var/run/postgresql`; `docker_init_database_dir` may `mktemp` (in /tmp).
 * The versions are versions.json's at that commit.
 */
const IMAGE_VERSIONS: { [major: number]: string } = { 15: '15.17', 16: '16.13', 17: '17.9', 18: '18.3' };
const VARIANT_USERS: { [variant: string]: { uid: number; gid: number } } = {
  'bookworm': { uid: 999, gid: 999 },
  'trixie': { uid: 999, gid: 999 },
  'alpine3.22': { uid: 70, gid: 70 },
  'alpine3.23': { uid: 70, gid: 70 },
};
const MAJOR_LAYOUTS: { [major: number]: { pgdata: string; volume: string } } = {
  15: { pgdata: '/var/lib/postgresql/data', volume: '/var/lib/postgresql/data' },
  16: { pgdata: '/var/lib/postgresql/data', volume: '/var/lib/postgresql/data' },
  17: { pgdata: '/var/lib/postgresql/data', volume: '/var/lib/postgresql/data' },
  18: { pgdata: '/var/lib/postgresql/18/docker', volume: '/var/lib/postgresql' },
};
const SOCKET_DIRECTORY = '/var/run/postgresql';
/** What the entrypoint writes besides PGDATA: the socket directory, and /tmp (mktemp). */
const ENTRYPOINT_SCRATCH = [SOCKET_DIRECTORY, '/tmp'];

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'postgres-image');

interface ImageCase {
  readonly major: number;
  readonly variant: string;
  readonly image: string;
  readonly uid: number;
  readonly gid: number;
  readonly pgdata: string;
  readonly volume: string;
}

const CASES: ImageCase[] = Object.keys(MAJOR_LAYOUTS).map(Number).flatMap((major) => Object.keys(VARIANT_USERS).map((variant) => ({
  major,
  variant,
  image: `postgres:${IMAGE_VERSIONS[major]}-${variant}`,
  ...VARIANT_USERS[variant],
  ...MAJOR_LAYOUTS[major],
})));

/** The copied Dockerfile lines of a major version and variant, without their line numbers. */
function dockerfileLines(major: number, variant: string): string[] {
  return fs.readFileSync(path.join(FIXTURES, String(major), variant, 'Dockerfile.excerpt'), 'utf8')
    .split('\n').filter((line) => /^\d+:/.test(line)).map((line) => line.replace(/^\d+:\s?/, '').trim());
}

function firstMatch(lines: string[], pattern: RegExp): string | undefined {
  for (const line of lines) {
    const match = pattern.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

function database(chartImage: string, props: Partial<PostgresDatabaseProps> = {}) {
  const { app, chart } = testChart();
  const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'db-credentials');
  const db = new PostgresDatabase(chart, 'db', { image: chartImage, database: 'app', credentials, storage: { size: Size.gibibytes(10) }, ...props });
  const manifests = synth(chart);
  return { app, chart, db, manifests, statefulSet: only(manifests, 'StatefulSet') };
}

/** The pod spec, its one container, and the claim template's name. */
function parts(statefulSet: Manifest) {
  const spec = podSpec(statefulSet);
  expect(spec.containers).toHaveLength(1);
  expect(statefulSet.spec.volumeClaimTemplates).toHaveLength(1);
  return { spec, container: spec.containers[0], claimName: statefulSet.spec.volumeClaimTemplates[0].metadata.name as string };
}

/** The mount whose path is the directory or its nearest ancestor (what a write to that directory lands on). */
function mountOf(container: any, directory: string): any {
  const covering = (container.volumeMounts as any[])
    .filter((m) => directory === m.mountPath || directory.startsWith(`${m.mountPath}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length);
  return covering[0];
}

function envValue(container: any, name: string): string | undefined {
  return (container.env as any[] | undefined)?.find((e) => e.name === name)?.value;
}

describe('the table of image facts is the image\'s own', () => {
  test.each(CASES.map((c) => [`${c.major}/${c.variant}`, c] as const))('%s: user, PGDATA, VOLUME and the socket directory as its Dockerfile says', (_, c) => {
    // GIVEN the Dockerfile lines copied from docker-library/postgres
    const lines = dockerfileLines(c.major, c.variant);
    // WHEN the facts are read from them
    const uid = firstMatch(lines, /^useradd .*--uid=(\d+)/) ?? firstMatch(lines, /^adduser .*-u (\d+)/);
    const gid = firstMatch(lines, /^groupadd .*--gid=(\d+)/) ?? firstMatch(lines, /^addgroup .*-g (\d+)/);
    // THEN they are the table's
    expect(Number(uid)).toBe(c.uid);
    expect(Number(gid)).toBe(c.gid);
    expect(firstMatch(lines, /^ENV PGDATA (\S+)$/)).toBe(c.pgdata);
    expect(firstMatch(lines, /^VOLUME (\S+)$/)).toBe(c.volume);
    expect(lines).toContainEqual(expect.stringMatching(/^RUN install --verbose --directory --owner postgres --group postgres --mode 3777 \/var\/run\/postgresql$/));
  });

  test('the entrypoint reads POSTGRES_PASSWORD_FILE and writes PGDATA, the socket directory and /tmp', () => {
    // GIVEN the entrypoint's lines copied from docker-library/postgres
    const entrypoint = fs.readFileSync(path.join(FIXTURES, 'docker-entrypoint.sh.excerpt'), 'utf8');
    // WHEN / THEN the functions the table relies on are there
    expect(entrypoint).toContain('local fileVar="${var}_FILE"');
    expect(entrypoint).toContain('val="$(< "${!fileVar}")"');
    expect(entrypoint).toContain('error: both %s and %s are set (but are exclusive)');
    expect(entrypoint).toContain('file_env \'POSTGRES_PASSWORD\'');
    expect(entrypoint).toContain('mkdir -p "$PGDATA"');
    expect(entrypoint).toContain('chmod 00700 "$PGDATA"');
    expect(entrypoint).toContain('mkdir -p /var/run/postgresql');
    expect(entrypoint).toContain('NSS_WRAPPER_PASSWD="$(mktemp)"');
  });

  test('the fixtures name their source and licence', () => {
    // GIVEN / WHEN the fixture folder / THEN its README names the commit and the licence, which is beside it
    const readme = fs.readFileSync(path.join(FIXTURES, 'README.md'), 'utf8');
    expect(readme).toContain('docker-library/postgres');
    expect(readme).toContain('6edb0a8c4def40c371514b34aef9037ec82d9110');
    expect(readme).toMatch(/MIT/);
    expect(fs.readFileSync(path.join(FIXTURES, 'LICENSE'), 'utf8')).toMatch(/^Copyright \(c\) 2014, Docker PostgreSQL Authors/);
  });
});

describe.each(CASES.map((c) => [c.image, c] as const))('%s: the pod spec gives the image what it needs', (_, c) => {
  const { db, statefulSet } = database(c.image);
  const { spec, container, claimName } = parts(statefulSet);

  test('it runs as the image\'s postgres user and group, which also own the volume', () => {
    // GIVEN the image's uid and gid / WHEN rendered / THEN the pod's and the container's ids are theirs
    expect(spec.securityContext).toMatchObject({ runAsUser: c.uid, runAsGroup: c.gid, fsGroup: c.gid, runAsNonRoot: true });
    expect(container.securityContext.runAsUser ?? c.uid).toBe(c.uid);
    expect(container.securityContext.runAsGroup ?? c.gid).toBe(c.gid);
    expect(container.image).toBe(c.image);
  });

  test('the volume is mounted at the image\'s VOLUME, and PGDATA is a strict subdirectory of it', () => {
    // GIVEN the claim template's mount
    const dataMount = (container.volumeMounts as any[]).find((m) => m.name === claimName);
    const pgdata = envValue(container, 'PGDATA');
    // WHEN / THEN at the VOLUME; PGDATA below it (a volume's root may hold lost+found, which initdb refuses)
    expect(dataMount.mountPath).toBe(c.volume);
    expect(dataMount.readOnly).toBeFalsy();
    expect(pgdata).toBeDefined();
    expect(pgdata!.startsWith(`${c.volume}/`)).toBe(true);
    expect(db.dataDirectory).toBe(pgdata);
    // 18 keeps the image's PGDATA; up to 17, the image's PGDATA is the VOLUME itself, so the data goes one below it
    expect(pgdata).toBe(c.major >= 18 ? c.pgdata : `${c.volume}/pgdata`);
    expect(mountOf(container, pgdata!).name).toBe(claimName);
  });

  test('every directory the entrypoint writes is writable, and nothing else is', () => {
    // GIVEN the directories the entrypoint writes: PGDATA (on the claim), the socket directory and /tmp
    const volumes = new Map((spec.volumes as any[]).map((v) => [v.name, v]));
    // WHEN each is looked up / THEN it lands on the claim or an emptyDir, mounted read-write
    for (const directory of [envValue(container, 'PGDATA')!, ...ENTRYPOINT_SCRATCH]) {
      const mount = mountOf(container, directory);
      expect({ directory, mounted: mount !== undefined }).toEqual({ directory, mounted: true });
      expect(mount.readOnly).toBeFalsy();
      expect(mount.name === claimName || volumes.get(mount.name)?.emptyDir !== undefined).toBe(true);
    }
    // AND the root filesystem, and so the image's own directories, are read-only; the only read-write mounts are the
    // volume, the entrypoint's scratch directories and /dev/shm (the server's dynamic shared memory)
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    const writable = (container.volumeMounts as any[]).filter((m) => !m.readOnly).map((m) => m.mountPath).sort();
    expect(writable).toEqual([c.volume, ...ENTRYPOINT_SCRATCH, '/dev/shm'].sort());
  });

  test('the password reaches the entrypoint as POSTGRES_PASSWORD_FILE, in a read-only mount of exactly that key', () => {
    // GIVEN the file the entrypoint's file_env reads
    const file = envValue(container, 'POSTGRES_PASSWORD_FILE')!;
    const directory = path.posix.dirname(file);
    const mount = (container.volumeMounts as any[]).find((m) => m.mountPath === directory);
    const volume = (spec.volumes as any[]).find((v) => v.name === mount?.name);
    // WHEN / THEN a read-only Secret mount, readable by the group only (0440), projecting exactly the password key
    expect(mount).toBeDefined();
    expect(mount.readOnly).toBe(true);
    expect(volume.secret.secretName).toBe('db-credentials');
    expect(volume.secret.defaultMode).toBe(0o440);
    expect(volume.secret.items).toEqual([{ key: 'password', path: path.posix.basename(file) }]);
    expect(file).toBe(`${directory}/password`);
    // AND no POSTGRES_PASSWORD beside it (the entrypoint exits when both are set), none from envFrom
    expect((container.env as any[]).map((e) => e.name)).not.toContain('POSTGRES_PASSWORD');
    expect(container.envFrom).toBeUndefined();
  });
});

describe('the password file with other keys and TLS', () => {
  test('a passwordKey of its own is the one key projected, and the file is named after it', () => {
    // GIVEN passwordKey "pg-password"
    const { statefulSet } = database('postgres:17.9-bookworm', { passwordKey: 'pg-password' });
    const { spec, container } = parts(statefulSet);
    // WHEN the file is looked up
    const file = envValue(container, 'POSTGRES_PASSWORD_FILE')!;
    const mount = (container.volumeMounts as any[]).find((m) => m.mountPath === path.posix.dirname(file));
    const volume = (spec.volumes as any[]).find((v) => v.name === mount.name);
    // THEN it is that key, alone
    expect(path.posix.basename(file)).toBe('pg-password');
    expect(volume.secret.items).toEqual([{ key: 'pg-password', path: 'pg-password' }]);
  });

  test('with TLS from the same Secret, the password mount still projects the password alone', () => {
    // GIVEN a Secret holding the password and the certificate
    const { chart } = testChart();
    const credentials = kplus.Secret.fromSecretName(chart, 'creds', 'db-credentials');
    new PostgresDatabase(chart, 'db', {
      image: 'postgres:18.3-trixie', database: 'app', credentials, storage: { size: Size.gibibytes(10) }, tls: { secret: credentials },
    });
    const { spec, container } = parts(only(synth(chart), 'StatefulSet'));
    // WHEN the password file's mount is looked up
    const file = envValue(container, 'POSTGRES_PASSWORD_FILE')!;
    const mount = (container.volumeMounts as any[]).find((m) => m.mountPath === path.posix.dirname(file));
    const volume = (spec.volumes as any[]).find((v) => v.name === mount.name);
    // THEN only the password key is there; the key and certificate are in a mount of their own, read-only, 0440
    expect(volume.secret.items).toEqual([{ key: 'password', path: 'password' }]);
    const tls = (spec.volumes as any[]).filter((v) => v.secret && v.name !== volume.name);
    expect(tls).toHaveLength(1);
    expect(tls[0].secret.defaultMode).toBe(0o440);
    expect(tls[0].secret.items.map((i: any) => i.key).sort()).toEqual(['tls.crt', 'tls.key']);
    expect((container.volumeMounts as any[]).find((m) => m.name === tls[0].name).readOnly).toBe(true);
  });
});
