import { ApiObject, Duration, Size } from 'cdk8s';
import type {
  ContainerResources, EnvValue, INetworkPolicyPeer, IPodSelector, ISecret, k8s, NetworkPolicyPeerConfig,
  PersistentVolumeAccessMode, PodSelectorConfig,
} from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { DatabaseConnection, IDatabase } from './database-connection';
import { inputError, quote } from '../../core/errors';
import { validateDataKey } from '../../core/names';
import {
  checkInstance, checkInteger, checkList, checkOptionalBoolean, checkOptionalString, checkPropsObject, checkString, checkStringMap, PropKeys,
} from '../../core/prop-checks';
import { describeCredential, findCredentials } from '../../parsers/credentials';
import { validateImage } from '../../parsers/image';
import { cdk8sPlus } from '../base/cdk8s-plus';
import { HardenedConstruct } from '../base/hardened-construct';
import { INamespaceRef } from '../base/namespace-ref';
import { IPriorityClass } from '../base/priority-class-ref';
import { checkSecret } from '../base/secret-reference';
import { meshSource } from '../network/mesh-peers';
import { podSelectorPeers } from '../network/peers';
import { HealthProbe } from '../pod/health-probe';
import { checkResourceOverrides } from '../pod/resources';
import { Prerequisite } from '../prerequisites/prerequisite';
import { INetworkWorkload } from '../workloads/hardened-workload';
import { SecureStatefulSet } from '../workloads/secure-stateful-set';

/** The database's volume. */
export interface PostgresStorageOptions {
  /** The size of the volume (a volume without a size is refused: the claim could not be provisioned). */
  readonly size: Size;
  /**
   * The StorageClass, declared with `Prerequisite.storageClass(scope, name)` (its name is the cluster's).
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: Prerequisite;
  /**
   * How the volume is attached; `ReadWriteOncePod` guarantees one writer where the CSI driver supports it.
   * @default PersistentVolumeAccessMode.READ_WRITE_ONCE
   */
  readonly accessMode?: PersistentVolumeAccessMode;
}

/** TLS for the database's connections, from a Secret (e.g. a cert-manager Certificate's `kubernetes.io/tls` Secret). */
export interface PostgresTlsOptions {
  /** The Secret holding the certificate and its private key. */
  readonly secret: ISecret;
  /**
   * The key of the certificate (PEM, with its chain).
   * @default "tls.crt"
   */
  readonly certificateKey?: string;
  /**
   * The key of the private key (PEM).
   * @default "tls.key"
   */
  readonly privateKeyKey?: string;
}

/** Props of {@link PostgresDatabase}. */
export interface PostgresDatabaseProps {
  /**
   * The official `postgres` image, pinned: `postgres:17.6-bookworm`, `postgres:18.1-alpine3.22`, or by digest
   * (`postgres:17.6@sha256:…`, recommended). PostgreSQL 15 to 18 are supported.
   */
  readonly image: string;
  /**
   * Refuse images that are not pinned by a sha256 digest.
   * @default false
   */
  readonly requireImageDigest?: boolean;
  /**
   * The PostgreSQL major version, which decides where the data lives (PostgreSQL 18 moved it).
   * @default - read from the image tag (`17.6-bookworm` is 17); required when the tag does not say
   */
  readonly majorVersion?: number;
  /**
   * The uid (and gid) PostgreSQL runs as: the image's `postgres` user.
   * @default - 999 for the Debian images, 70 for the Alpine ones (read from the tag); required for other images
   */
  readonly user?: number;
  /** The database created on first start (`POSTGRES_DB`). */
  readonly database: string;
  /**
   * The role created on first start (`POSTGRES_USER`), a superuser of this database server.
   * @default "postgres"
   */
  readonly username?: string;
  /**
   * The Secret holding the role's password: a Secret managed outside the app (`kplus.Secret.fromSecretName`, which the
   * report lists as a prerequisite) or one of the app. It reaches PostgreSQL as a file (`POSTGRES_PASSWORD_FILE`),
   * never as an environment value, and only the first start (initdb) reads it.
   */
  readonly credentials: ISecret;
  /**
   * The key of the password in the Secret.
   * @default "password"
   */
  readonly passwordKey?: string;
  /** The database's volume. */
  readonly storage: PostgresStorageOptions;
  /**
   * TLS: the server then offers it (`ssl=on`) with the Secret's certificate and key, mounted read-only with the modes
   * PostgreSQL requires of a key file, and clients require it.
   * @default - no TLS (traffic inside the cluster is then plain; a mesh with mTLS can cover it)
   */
  readonly tls?: PostgresTlsOptions;
  /**
   * The number of pods. Only 1: the official image has no replication, and two pods on their own volumes would be two
   * databases. For a replicated PostgreSQL use an operator (CloudNativePG).
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Server settings, passed as `-c name=value` (e.g. `{ max_connections: '200' }`). Settings this construct owns
   * (ssl, files and directories, listen addresses) and weaker password hashing are refused.
   * @default - the image's defaults
   */
  readonly settings?: { [name: string]: string };
  /**
   * Requests and limits, field by field over the defaults (memory request equal to its limit: a database should not be
   * the first pod the kubelet evicts under memory pressure).
   * @default - cpu 250m/1, memory 1Gi/1Gi, ephemeral-storage 64Mi/512Mi (request/limit)
   */
  readonly resources?: ContainerResources;
  /**
   * The size of /dev/shm (PostgreSQL's dynamic shared memory, e.g. for parallel queries), counted in the memory limit.
   * @default Size.mebibytes(256)
   */
  readonly sharedMemory?: Size;
  /**
   * The namespace of every object this construct creates.
   * @default - the chart's namespace
   */
  readonly namespace?: INamespaceRef;
  /**
   * The name of every object, which is also the host name clients use.
   * @default - the construct id, or its path below the chart joined with `-` when nested; see README "Object names"
   */
  readonly name?: string;
  /**
   * The larger application this belongs to (`app.kubernetes.io/part-of`).
   * @default - the chart's id
   */
  readonly partOf?: string;
  /**
   * Labels added to every object and to the pods.
   * @default - only the recommended labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * The pod priority class (a database is usually among the last pods to preempt).
   * @default - the cluster's default priority
   */
  readonly priorityClass?: IPriorityClass;
  /**
   * Secrets holding registry credentials.
   * @default - none
   */
  readonly imagePullSecrets?: ISecret[];
}

const POSTGRES_DATABASE_PROPS: PropKeys<PostgresDatabaseProps> = {
  image: true,
  requireImageDigest: true,
  majorVersion: true,
  user: true,
  database: true,
  username: true,
  credentials: true,
  passwordKey: true,
  storage: true,
  tls: true,
  replicas: true,
  settings: true,
  resources: true,
  sharedMemory: true,
  namespace: true,
  name: true,
  partOf: true,
  labels: true,
  priorityClass: true,
  imagePullSecrets: true,
};
const STORAGE_OPTIONS: PropKeys<PostgresStorageOptions> = { size: true, storageClass: true, accessMode: true };
const TLS_OPTIONS: PropKeys<PostgresTlsOptions> = { secret: true, certificateKey: true, privateKeyKey: true };

/** The port PostgreSQL listens on. */
const POSTGRES_PORT = 5432;
/** The major versions whose image layout this construct knows; 14 reached end of life on 2026-11-12. */
const SUPPORTED_MAJOR_VERSIONS = [15, 16, 17, 18];
/** The `postgres` user of the official images: Debian's and Alpine's. */
const DEBIAN_POSTGRES_ID = 999;
const ALPINE_POSTGRES_ID = 70;
/** The uid of Istio's sidecar proxy, whose traffic iptables capture exempts. */
const MESH_PROXY_ID = 1337;
/** Where the official image's entrypoint and server write besides the data: the socket and lock directory. */
const SOCKET_DIRECTORY = '/var/run/postgresql';
const CREDENTIALS_PATH = '/etc/postgresql/credentials';
const POLARIS_ENV_EXEMPTION = 'polaris.fairwinds.com/sensitiveContainerEnvVar-exempt';
const TLS_PATH = '/etc/postgresql/tls';
/** Registries that serve Docker Hub's official images under their own paths. */
const OFFICIAL_REPOSITORIES = new Set(['postgres', 'library/postgres', 'docker/library/postgres']);
const OFFICIAL_REGISTRIES = new Set([undefined, 'docker.io', 'index.docker.io', 'registry-1.docker.io', 'mirror.gcr.io', 'public.ecr.aws']);
/** Settings the construct sets or whose change would move files it mounts, or weaken authentication. */
const OWNED_SETTINGS = new Set([
  'ssl', 'ssl_cert_file', 'ssl_key_file', 'ssl_ca_file', 'ssl_crl_file', 'ssl_passphrase_command', 'data_directory', 'hba_file', 'ident_file',
  'config_file', 'external_pid_file', 'unix_socket_directories', 'unix_socket_permissions', 'port', 'listen_addresses',
]);
/** A PostgreSQL identifier as the image's entrypoint passes it to SQL unquoted-safe: lower case, digits and `_`. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Where the official image keeps its data for a major version. */
interface DataLayout {
  /** The volume's mount path (the image's VOLUME). */
  readonly mountPath: string;
  /** PGDATA: a directory below the volume's root, whose `lost+found` would make `initdb` refuse the directory. */
  readonly dataDirectory: string;
}

function dataLayout(major: number): DataLayout {
  // PostgreSQL 18's images moved PGDATA to /var/lib/postgresql/18/docker and the VOLUME to /var/lib/postgresql.
  return major >= 18
    ? { mountPath: '/var/lib/postgresql', dataDirectory: `/var/lib/postgresql/${major}/docker` }
    : { mountPath: '/var/lib/postgresql/data', dataDirectory: '/var/lib/postgresql/data/pgdata' };
}

/**
 * The talk's database: PostgreSQL from the official image on a SecureStatefulSet, hardened by default.
 *
 * - one pod, running as the image's `postgres` user (999 on Debian, 70 on Alpine) with a read-only root filesystem;
 *   emptyDirs only where PostgreSQL writes (`/var/run/postgresql`, `/tmp`, `/dev/shm` in memory), the data in a
 *   subdirectory of its volume (PGDATA), for PostgreSQL 15 to 18;
 * - the password from a Secret, as a file (`POSTGRES_PASSWORD_FILE`), never an environment value; the connection
 *   info (`connection`, `clientEnv()`) names the Secret and never holds the password;
 * - readiness by `pg_isready`, liveness by TCP (the postmaster accepts connections during crash recovery, so a long
 *   recovery is not killed), resources sized for a database, optional TLS;
 * - a NetworkPolicy that admits nobody until `allowFrom(...)` names the clients: each is then admitted on 5432, and
 *   its own egress reaches exactly the database.
 */
export class PostgresDatabase extends HardenedConstruct implements IDatabase, IPodSelector, INetworkPolicyPeer {
  /** How clients reach the database (no credential in it). */
  public readonly connection: DatabaseConnection;
  /** The StatefulSet's workload: ServiceAccount, StatefulSet, headless Service, PodDisruptionBudget, NetworkPolicy. */
  public readonly server: SecureStatefulSet;
  /** The PostgreSQL major version. */
  public readonly majorVersion: number;
  /** The data directory (PGDATA). */
  public readonly dataDirectory: string;
  private readonly clients = new Set<string>();

  public constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id, 'PostgresDatabase', props, Object.keys(POSTGRES_DATABASE_PROPS));
    const { where } = this;
    const image = checkString(where, 'image', props.image);
    const reference = validateImage(where, image, { requireDigest: checkOptionalBoolean(where, 'requireImageDigest', props.requireImageDigest) });
    const official = OFFICIAL_REGISTRIES.has(reference.registry) && OFFICIAL_REPOSITORIES.has(reference.repository);
    const tag = parseTag(reference.tag);
    this.majorVersion = majorVersionOf(where, props.majorVersion, official ? tag.major : undefined, image);
    const imageUser = official && tag.variantKnown ? (tag.alpine ? ALPINE_POSTGRES_ID : DEBIAN_POSTGRES_ID) : undefined;
    const uid = postgresUser(where, props.user) ?? imageUser;
    if (uid === undefined) {
      throw inputError(where, `the uid of the postgres user of image ${quote(image)} cannot be read from its name`,
        'set user (999 for the official Debian images, 70 for the Alpine ones; `id -u postgres` in the image tells)');
    }
    const replicasFix = 'use replicas: 1 (the default); for streaming replication and failover run an operator such as CloudNativePG';
    const replicas = checkInteger(where, 'replicas', props.replicas ?? 1, { min: 1, hint: replicasFix });
    if (replicas !== 1) {
      throw inputError(where, `replicas ${replicas}: the official image does not replicate, so ${replicas} pods on their own volumes would be ${replicas} unrelated databases`,
        replicasFix);
    }
    const database = identifier(where, 'database', props.database);
    const username = identifier(where, 'username', props.username ?? 'postgres');
    const credentials = checkSecret(where, 'credentials', props.credentials, 'kplus.Secret.fromSecretName(this, \'credentials\', \'db-credentials\'), or a kplus.Secret of the app');
    const passwordKey = validateDataKey(where, 'passwordKey', checkOptionalString(where, 'passwordKey', props.passwordKey) ?? 'password');
    const storage = checkPropsObject(where, props.storage, STORAGE_OPTIONS, 'storage');
    const tls = props.tls === undefined ? undefined : checkTls(where, props.tls);
    const layout = dataLayout(this.majorVersion);
    this.dataDirectory = layout.dataDirectory;

    const plus = cdk8sPlus();
    const settings = [
      ...(tls ? [['ssl', 'on'], ['ssl_cert_file', `${TLS_PATH}/${tls.certificateKey}`], ['ssl_key_file', `${TLS_PATH}/${tls.privateKeyKey}`]] : []),
      ...checkSettings(where, props.settings),
    ];
    const env: { [name: string]: EnvValue } = {
      POSTGRES_USER: plus.EnvValue.fromValue(username),
      POSTGRES_DB: plus.EnvValue.fromValue(database),
      POSTGRES_PASSWORD_FILE: plus.EnvValue.fromValue(`${CREDENTIALS_PATH}/${passwordKey}`),
      PGDATA: plus.EnvValue.fromValue(layout.dataDirectory),
    };
    this.server = new SecureStatefulSet(this, 'Server', {
      image,
      name: props.name ?? this.defaultName(),
      namespace: props.namespace,
      appName: 'postgresql',
      component: 'database',
      partOf: props.partOf,
      labels: props.labels,
      port: POSTGRES_PORT,
      portName: 'postgresql',
      user: uid,
      group: uid,
      env,
      args: settings.length ? settings.flatMap(([name, value]) => ['-c', `${name}=${value}`]) : undefined,
      writablePaths: [SOCKET_DIRECTORY],
      sharedMemory: props.sharedMemory ?? Size.mebibytes(256),
      secretFiles: [
        { secret: credentials, mountPath: CREDENTIALS_PATH, keys: [passwordKey] },
        ...(tls ? [{ secret: tls.secret, mountPath: TLS_PATH, keys: [tls.certificateKey, tls.privateKeyKey] }] : []),
      ],
      storage: { ...storage, mountPath: layout.mountPath, name: 'data' },
      replicas,
      resources: databaseResources(where, props.resources),
      readiness: HealthProbe.exec(
        ['pg_isready', '--quiet', `--host=${SOCKET_DIRECTORY}`, `--port=${POSTGRES_PORT}`, `--username=${username}`, `--dbname=${database}`],
        { period: Duration.seconds(10), timeout: Duration.seconds(5) },
      ),
      // TCP: the postmaster accepts connections during crash recovery, when pg_isready already says "rejecting".
      liveness: HealthProbe.tcp({
        initialDelay: Duration.seconds(30), period: Duration.seconds(10), timeout: Duration.seconds(5), failureThreshold: 6,
      }),
      priorityClass: props.priorityClass,
      imagePullSecrets: props.imagePullSecrets,
      allowIngressFrom: [],
    });
    // Polaris judges env names: POSTGRES_PASSWORD_FILE holds a path, which its sensitiveContainerEnvVar check cannot tell
    // from a password. Its own exemption, for that one check; the policy engine's NSA-CREDENTIALS still judges every value.
    this.server.statefulSet.metadata.addAnnotation(POLARIS_ENV_EXEMPTION, 'true');
    const host = this.server.namespaceName ? `${this.server.name}.${this.server.namespaceName}.svc` : this.server.name;
    this.connection = {
      host,
      port: POSTGRES_PORT,
      database,
      username,
      passwordSecret: credentials,
      passwordKey,
      tls: tls !== undefined,
      jdbcUrl: `jdbc:postgresql://${host}:${POSTGRES_PORT}/${database}${tls ? '?sslmode=require' : ''}`,
    };
  }

  /** The name of every object, also the Service clients connect to. */
  public get name(): string {
    return this.server.name;
  }

  /** The namespace of the objects, if known. */
  public get namespaceName(): string | undefined {
    return this.server.namespaceName;
  }

  /** The StatefulSet. */
  public get statefulSet(): ApiObject {
    return this.server.statefulSet;
  }

  /** The NetworkPolicy of the database's pods. */
  public get networkPolicy(): ApiObject {
    return this.server.networkPolicy;
  }

  /**
   * Lets workloads of this app connect (SecureDeployment, SecureStatefulSet, FlywayMigrationJob): the database's
   * NetworkPolicy admits exactly their pods on 5432, and each one's egress reaches exactly the database's pods on
   * 5432. Calling it again for a client changes nothing. Refused: anything that is not a workload of this app (a
   * bare selector has no egress policy this app writes), and the database itself.
   */
  public allowFrom(...clients: INetworkWorkload[]): void {
    const plus = cdk8sPlus();
    for (const [i, given] of checkList<INetworkWorkload>(this.where, 'allowFrom clients', clients).entries()) {
      const client = checkClient(this, i, given);
      if (this.clients.has(client.node.addr)) continue;
      this.clients.add(client.node.addr);
      this.server._admitOnPort(podSelectorPeers(client.toPodSelectorConfig()), [meshSource(`allowFrom client ${i}`, client)]);
      client.addEgressRule({
        to: podSelectorPeers(this.server.toPodSelectorConfig()) as k8s.NetworkPolicyPeer[],
        ports: [{ protocol: 'TCP', port: plus.k8s.IntOrString.fromNumber(POSTGRES_PORT) }],
      });
    }
  }

  /**
   * The connection as libpq's environment variables, which every PostgreSQL client reads: PGHOST, PGPORT,
   * PGDATABASE, PGUSER, PGPASSWORD (a reference to the Secret, never its value) and, with TLS, PGSSLMODE=require.
   */
  public clientEnv(): { [name: string]: EnvValue } {
    const plus = cdk8sPlus();
    const { host, port, database, username, passwordSecret, passwordKey, tls } = this.connection;
    return {
      PGHOST: plus.EnvValue.fromValue(host),
      PGPORT: plus.EnvValue.fromValue(String(port)),
      PGDATABASE: plus.EnvValue.fromValue(database),
      PGUSER: plus.EnvValue.fromValue(username),
      PGPASSWORD: plus.EnvValue.fromSecretValue({ secret: passwordSecret, key: passwordKey }),
      ...(tls ? { PGSSLMODE: plus.EnvValue.fromValue('require') } : {}),
    };
  }

  /** @see IPodSelector */
  public toPodSelectorConfig(): PodSelectorConfig {
    return this.server.toPodSelectorConfig();
  }

  /** @see INetworkPolicyPeer */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return this.server.toNetworkPolicyPeerConfig();
  }

  /** @see INetworkPolicyPeer */
  public toPodSelector(): IPodSelector | undefined {
    return this.server;
  }
}

/**
 * The database's requests and limits, the given ones over these defaults: a memory request equal to its limit (the
 * kubelet evicts pods above their request first), room for temporary files.
 */
function databaseResources(where: string, given: ContainerResources | undefined): ContainerResources {
  const overrides = given === undefined ? {} : checkResourceOverrides(where, given);
  const plus = cdk8sPlus();
  return {
    cpu: { request: overrides.cpu?.request ?? plus.Cpu.millis(250), limit: overrides.cpu?.limit ?? plus.Cpu.units(1) },
    memory: { request: overrides.memory?.request ?? Size.gibibytes(1), limit: overrides.memory?.limit ?? Size.gibibytes(1) },
    ephemeralStorage: {
      request: overrides.ephemeralStorage?.request ?? Size.mebibytes(64),
      limit: overrides.ephemeralStorage?.limit ?? Size.mebibytes(512),
    },
  };
}

/** What an image tag says: the major version, and the variant (Debian or Alpine) when it names one or none. */
function parseTag(tag: string | undefined): { major?: number; alpine: boolean; variantKnown: boolean } {
  const match = tag === undefined ? null : /^(\d+)(?:\.\d+)*(?:-([a-z0-9.]+))?$/.exec(tag);
  if (!match) {
    // A variant alone (`bookworm`, `alpine`) names no version.
    const variant = tag ?? '';
    return { alpine: variant.startsWith('alpine'), variantKnown: /^(alpine|bookworm|trixie|bullseye)/.test(variant) };
  }
  const variant = match[2] ?? '';
  return { major: Number(match[1]), alpine: variant.startsWith('alpine'), variantKnown: variant === '' || /^(alpine|bookworm|trixie|bullseye)/.test(variant) };
}

function majorVersionOf(where: string, given: unknown, fromTag: number | undefined, image: string): number {
  if (given === undefined && fromTag === undefined) {
    throw inputError(where, `the PostgreSQL major version of image ${quote(image)} cannot be read from its tag, and it decides where the data lives`,
      `set majorVersion (${SUPPORTED_MAJOR_VERSIONS.join(', ')}), or use a tag that names it (postgres:17.6-bookworm)`);
  }
  const major = checkInteger(where, 'majorVersion', given ?? fromTag, { min: 1 });
  if (given !== undefined && fromTag !== undefined && major !== fromTag) {
    throw inputError(where, `majorVersion ${major} contradicts image ${quote(image)} (PostgreSQL ${fromTag})`, 'leave majorVersion out, or correct it');
  }
  if (!SUPPORTED_MAJOR_VERSIONS.includes(major)) {
    throw inputError(where, `PostgreSQL ${major} is not supported (${major < SUPPORTED_MAJOR_VERSIONS[0] ? 'it no longer gets security fixes' : 'its image layout is not known to this version'})`,
      `use PostgreSQL ${SUPPORTED_MAJOR_VERSIONS[0]} to ${SUPPORTED_MAJOR_VERSIONS[SUPPORTED_MAJOR_VERSIONS.length - 1]}`);
  }
  return major;
}

/**
 * The uid given for the image's postgres user, checked here so that a refusal names the database and the image's ids
 * (the workload's checks would name its inner StatefulSet and the workloads' default uid, 10001, which is not the image's).
 */
function postgresUser(where: string, given: unknown): number | undefined {
  if (given === undefined) return undefined;
  const fix = 'leave user out for the official images (999 on Debian, 70 on Alpine), or set the uid of the image\'s postgres user (`id -u postgres` in the image)';
  if (given === 0) throw inputError(where, 'user 0 is root', fix);
  if (given === MESH_PROXY_ID) {
    throw inputError(where, `user ${MESH_PROXY_ID} is the id of Istio's sidecar proxy, whose traffic the sidecar never captures: the database would bypass the mesh's mTLS`, fix);
  }
  return checkInteger(where, 'user', given, { min: 1, hint: fix });
}

/** A database or role name the entrypoint passes to SQL: lower case letters, digits and `_`, at most 63. */
function identifier(where: string, what: string, value: unknown): string {
  const text = checkString(where, what, value);
  if (!IDENTIFIER.test(text)) {
    // A value in the shape of `user:password@…`, or with a credential in it, is not echoed: the message may reach a CI log.
    const shown = /[:@]/.test(text) || findCredentials(text, { name: what }).length ? '(value not shown: it may hold a credential)' : quote(text);
    throw inputError(where, `${what} ${shown} is not a plain PostgreSQL identifier`, 'use lower-case letters, digits and "_", starting with a letter or "_" (at most 63)');
  }
  return text;
}

function checkTls(where: string, given: PostgresTlsOptions): Required<PostgresTlsOptions> {
  const options = checkPropsObject(where, given, TLS_OPTIONS, 'tls');
  const secret = checkSecret(where, 'tls.secret', options.secret, 'e.g. kplus.Secret.fromSecretName(this, \'tls\', \'<the Certificate\'s secretName>\')');
  const certificateKey = validateDataKey(where, 'tls.certificateKey', checkOptionalString(where, 'tls.certificateKey', options.certificateKey) ?? 'tls.crt');
  const privateKeyKey = validateDataKey(where, 'tls.privateKeyKey', checkOptionalString(where, 'tls.privateKeyKey', options.privateKeyKey) ?? 'tls.key');
  if (certificateKey === privateKeyKey) throw inputError(where, `tls.certificateKey and tls.privateKeyKey are both ${quote(certificateKey)}`, 'name the two keys of the Secret (tls.crt and tls.key)');
  return { secret, certificateKey, privateKeyKey };
}

/** Checks server settings: names PostgreSQL could read, none the construct owns, no weaker hashing, no credential. */
function checkSettings(where: string, given: unknown): string[][] {
  if (given === undefined) return [];
  return Object.entries(checkStringMap(where, 'settings', given)).map(([name, value]) => {
    if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(name)) {
      throw inputError(where, `settings key ${quote(name)} is not a PostgreSQL setting name`, 'use the setting\'s name, e.g. "max_connections"');
    }
    if (OWNED_SETTINGS.has(name)) {
      throw inputError(where, `settings ${quote(name)} is set by PostgresDatabase (TLS, files, socket, port)`, 'remove it; use the tls prop for TLS');
    }
    if (name === 'ssl_min_protocol_version' && !['TLSv1.2', 'TLSv1.3'].includes(value)) {
      throw inputError(where, `settings ssl_min_protocol_version ${quote(value)} admits TLS versions with known attacks`, 'leave it out (TLSv1.2), or use "TLSv1.3"');
    }
    if (name === 'log_statement' && value !== 'none') {
      throw inputError(where, `settings log_statement ${quote(value)} writes DDL statements to the log, and ALTER ROLE … PASSWORD is one: passwords would reach the log collector`,
        'leave log_statement out (none); log slow statements with log_min_duration_statement instead');
    }
    if (name === 'password_encryption' && value !== 'scram-sha-256') {
      throw inputError(where, `settings password_encryption ${quote(value)} would store passwords as MD5 hashes, which are replayable`, 'leave password_encryption out (scram-sha-256)');
    }
    const found = findCredentials(value, { name });
    if (found.length) {
      throw inputError(where, `settings ${quote(name)} holds ${describeCredential(found[0])}, which would be written into the manifest in clear text`, 'keep credentials in Secrets');
    }
    if (/[\s'"\\]/.test(value) || value === '') {
      throw inputError(where, `settings ${quote(name)} has a value with spaces, quotes or backslashes, or none`, 'use a plain value, e.g. "200" or "4MB"');
    }
    return [name, value];
  });
}

/** Checks a client of `allowFrom`: a workload construct of the same app, not the database. */
function checkClient(database: PostgresDatabase, index: number, given: unknown): INetworkWorkload & IConstruct {
  const what = `allowFrom client ${index}`;
  const expected = 'a workload of this app (a SecureDeployment, SecureStatefulSet or FlywayMigrationJob)';
  const client = checkInstance<INetworkWorkload & IConstruct>(database.node.path ? `PostgresDatabase ${database.node.path}` : 'PostgresDatabase', what, given, 'node', expected);
  const where = `PostgresDatabase ${database.node.path}`;
  if (typeof (client as any).addEgressRule !== 'function' || typeof (client as any).toPodSelectorConfig !== 'function') {
    throw inputError(where, `${what} (${client.node.path}) is not a workload whose egress this app writes`, `pass ${expected}; for a workload defined elsewhere, admit it with a NetworkPolicy of its own`);
  }
  if (client.node.root !== database.node.root) {
    throw inputError(where, `${what} (${client.node.path}) belongs to another app`, 'pass a workload of the app the database is in');
  }
  if (client === (database as unknown) || client === (database.server as unknown)) {
    throw inputError(where, `${what} is the database itself`, 'pass the workloads that connect to it');
  }
  return client;
}
