import { createHash } from 'crypto';
import { ApiObject, Duration } from 'cdk8s';
import {
  ContainerResources, EnvValue, IPodSelector, ISecret, k8s, NetworkPolicyPeerConfig, PodSelectorConfig,
} from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IDatabase } from './database-connection';
import { jdbcEgressRules, JdbcTarget, parseJdbcUrl } from './jdbc-url';
import { Migrations } from './migrations';
import { inputError, quote } from '../../core/errors';
import { recommendedLabels } from '../../core/labels';
import { validateDnsLabel } from '../../core/names';
import { Plain } from '../../core/plain';
import { checkInstance, checkInteger, checkOptionalBoolean, checkOptionalString, PropKeys } from '../../core/prop-checks';
import { kube } from '../../k8s/objects';
import { validateImage } from '../../parsers/image';
import { cdk8sPlus } from '../base/cdk8s-plus';
import { derivedName } from '../base/derived-name';
import { HardenedConstruct } from '../base/hardened-construct';
import { INamespaceRef } from '../base/namespace-ref';
import { durationSeconds } from '../jobs/job-duration';
import { JobOrdering } from '../jobs/job-ordering';
import { EgressRules } from '../network/egress-rules';
import { EgressTarget } from '../network/egress-target';
import { toKubeEnv } from '../pod/env';
import { hardenedPodSpec } from '../pod/hardened-pod-spec';
import { resourceRequirements } from '../pod/resources';
import { resolveRunAsIdentity } from '../pod/security-context';
import type { INetworkWorkload } from '../workloads/hardened-workload';

/** The official Flyway image used for directory migrations (it runs as root; the job sets a non-root uid). */
export const DEFAULT_FLYWAY_IMAGE = 'flyway/flyway:10.20.1';

const MIGRATIONS_PATH = '/flyway/sql';
/** A key of a Secret: letters, digits, `-`, `_` and `.`, at most 253 characters (the API server's rule). */
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** Props of {@link FlywayMigrationJob}. */
export interface FlywayMigrationJobProps {
  /**
   * The database of the app to migrate (a PostgresDatabase): the URL, the user and the password's Secret come from its
   * connection, and the Job's egress and the database's ingress are wired both ways (`database.allowFrom(job)`).
   * Give either `database`, or `jdbcUrl` with `credentials` (a database outside the app).
   * @default - the database at `jdbcUrl`
   */
  readonly database?: IDatabase;
  /**
   * The JDBC URL, without credentials, e.g. `jdbc:postgresql://postgresql:5432/mydb`. Several hosts
   * (`jdbc:postgresql://pg-0:5432,pg-1:5432/db`, `jdbc:mysql://[h1,h2]/db`) are allowed, each judged.
   * @default - the `database`'s URL
   */
  readonly jdbcUrl?: string;
  /**
   * The Secret with the database user and password.
   * @default - the `database`'s password Secret (the user name is then its connection's)
   */
  readonly credentials?: ISecret;
  /**
   * The key of the user name in the Secret.
   * @default "username"
   */
  readonly usernameKey?: string;
  /**
   * The key of the password in the Secret (with `database`, its connection's key is used instead).
   * @default "password"
   */
  readonly passwordKey?: string;
  /** The migrations: `Migrations.fromDirectory('sql')` or `Migrations.fromImage('…')`. */
  readonly migrations: Migrations;
  /**
   * The Flyway image for directory migrations (image migrations run their own image).
   * @default "flyway/flyway:10.20.1"
   */
  readonly image?: string;
  /**
   * The name prefix; the Job's name adds a hash of the migrations and the pod template, so new migrations make a new Job.
   * @default - the construct id, or its path below the chart joined with `-` when nested; the hash then covers the construct path too, so
   * constructs whose paths read alike (ids `Migrate` and `migrate`) get different Jobs and NetworkPolicies
   */
  readonly name?: string;
  /**
   * The namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: INamespaceRef;
  /**
   * The uid Flyway runs as, where the official image defaults to root (0 is refused).
   * @default 10001
   */
  readonly user?: number;
  /**
   * The gid Flyway runs as.
   * @default - the user id
   */
  readonly group?: number;
  /**
   * Baseline an existing schema that has no Flyway history on the first migrate.
   * @default false
   */
  readonly baselineOnMigrate?: boolean;
  /**
   * How often Flyway retries connecting to a database that is still starting (every 10 s).
   * @default 12
   */
  readonly connectRetries?: number;
  /**
   * Retries of a failed Job.
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * The longest the Job may run (whole seconds, above zero).
   * @default Duration.minutes(15)
   */
  readonly activeDeadline?: Duration;
  /**
   * How long a finished Job is kept.
   * @default Duration.hours(24)
   */
  readonly ttlAfterFinished?: Duration;
  /**
   * Requests and limits, field by field over the defaults for the Flyway JVM.
   * @default - cpu 100m/1, memory 256Mi/512Mi, ephemeral-storage 64Mi/256Mi (request/limit)
   */
  readonly resources?: ContainerResources;
  /**
   * When the Job runs: a Helm hook or an Argo CD PreSync hook. The ConfigMap and the NetworkPolicy become
   * hooks of the same phase, one weight or wave earlier, so they exist before the Job.
   * @default - none: the Job is a plain resource
   */
  readonly ordering?: JobOrdering;
  /**
   * Where the database is, for the NetworkPolicy. Needed when the JDBC host is a DNS name outside the
   * cluster (NetworkPolicy cannot match names).
   * @default - the JDBC host: an IP address as /32, a Service name as pods of its namespace, on the JDBC port
   */
  readonly databaseEgress?: EgressTarget;
}

const FLYWAY_MIGRATION_JOB_PROPS: PropKeys<FlywayMigrationJobProps> = {
  database: true,
  jdbcUrl: true,
  credentials: true,
  usernameKey: true,
  passwordKey: true,
  migrations: true,
  image: true,
  name: true,
  namespace: true,
  user:
  true,
  group: true,
  baselineOnMigrate: true,
  connectRetries: true,
  backoffLimit: true,
  activeDeadline: true,
  ttlAfterFinished: true,
  resources: true,
  ordering: true,
  databaseEgress: true,
};

/**
 * Versioned SQL migrations applied by a Kubernetes Job before the app needs them, hardened like every
 * workload: non-root (the official image runs as root), read-only root filesystem with a writable /tmp,
 * resources, no service account token, credentials only from a Secret, a NetworkPolicy allowing only DNS
 * and the database, and Flyway's safe settings (cleanDisabled, validateOnMigrate, no baselineOnMigrate).
 *
 * A Job's pod template is immutable: the Job's name carries a hash of the migrations and the pod template,
 * so new migrations or settings make a new Job.
 *
 * With an ordering (a Helm hook or an Argo CD PreSync hook), the ConfigMap and the NetworkPolicy are hooks
 * of the same phase ordered one weight or wave before the Job, so both exist before it runs. The Job uses
 * the namespace's `default` ServiceAccount (which Kubernetes creates with the namespace) without its token.
 */
export class FlywayMigrationJob extends HardenedConstruct implements INetworkWorkload {
  /** The Job's name (prefix and hash). */
  public readonly jobName: string;
  /** The Job. */
  public readonly job: ApiObject;
  /** The ConfigMap with the SQL files (directory migrations). */
  public readonly configMap?: ApiObject;
  /** The NetworkPolicy. */
  public readonly networkPolicy: ApiObject;
  private readonly egressRules = new EgressRules();

  public constructor(scope: Construct, id: string, props: FlywayMigrationJobProps) {
    super(scope, id, 'FlywayMigrationJob', props, Object.keys(FLYWAY_MIGRATION_JOB_PROPS));
    const { where, objectNamespace: namespace, chartPartOf: partOf } = this;
    const databaseEgress = props.databaseEgress === undefined
      ? undefined
      : checkInstance<EgressTarget>(where, 'databaseEgress', props.databaseEgress, '_rule()', 'an EgressTarget (e.g. EgressTarget.cidr(\'10.0.0.5/32\', { tcp: [5432] }))');
    const database = props.database === undefined
      ? undefined
      : checkInstance<IDatabase>(where, 'database', props.database, 'connection', 'a database of the app (a PostgresDatabase)');
    const source = database ? databaseSource(where, database, props) : jdbcSource(where, props, databaseEgress !== undefined);
    const migrations = checkInstance<Migrations>(
      where, 'migrations', props.migrations, '_load()', 'Migrations (Migrations.fromDirectory(\'sql\') or Migrations.fromImage(\'…\'))',
    );
    const ordering = props.ordering === undefined
      ? undefined
      : checkInstance<JobOrdering>(where, 'ordering', props.ordering, '_jobAnnotations()', 'a JobOrdering (JobOrdering.helmHook() or JobOrdering.argoCdPreSync())');
    const identity = resolveRunAsIdentity(where, props.user, props.group);
    const loaded = migrations._load(where);
    const image = loaded.image ?? checkOptionalString(where, 'image', props.image) ?? DEFAULT_FLYWAY_IMAGE;
    const imageRef = validateImage(where, image);
    if (props.resources !== undefined && (props.resources === null || typeof props.resources !== 'object')) {
      throw inputError(where, 'resources is not an object', 'pass resources as { cpu: { request: Cpu.millis(250) }, memory: { limit: Size.mebibytes(512) } }');
    }

    const flywayEnv: { [name: string]: EnvValue } = {
      FLYWAY_URL: EnvValue.fromValue(source.jdbcUrl),
      FLYWAY_USER: source.user,
      // Flyway's open-source edition reads no password file: the password is a reference to its Secret, never a value.
      FLYWAY_PASSWORD: source.password,
      FLYWAY_LOCATIONS: EnvValue.fromValue(`filesystem:${MIGRATIONS_PATH}`),
      FLYWAY_CLEAN_DISABLED: EnvValue.fromValue('true'),
      FLYWAY_VALIDATE_ON_MIGRATE: EnvValue.fromValue('true'),
      FLYWAY_VALIDATE_MIGRATION_NAMING: EnvValue.fromValue('true'),
      FLYWAY_BASELINE_ON_MIGRATE: EnvValue.fromValue(String(checkOptionalBoolean(where, 'baselineOnMigrate', props.baselineOnMigrate) ?? false)),
      FLYWAY_CONNECT_RETRIES: EnvValue.fromValue(String(checkInteger(where, 'connectRetries', props.connectRetries ?? 12, { min: 0 }))),
      FLYWAY_CONNECT_RETRIES_INTERVAL: EnvValue.fromValue('10'),
    };
    const env = toKubeEnv(where, flywayEnv);
    const resources = resourceRequirements(where, props.resources, {
      cpuRequest: '100m',
      cpuLimit: '1',
      memoryRequest: '256Mi',
      memoryLimit: '512Mi',
      ephemeralStorageRequest: '64Mi',
      ephemeralStorageLimit: '256Mi',
    });
    const podSpec = (configMapName: string | undefined): Plain<k8s.PodSpec> => hardenedPodSpec(where, {
      identity,
      restartPolicy: 'Never',
      volumes: configMapName ? [{ name: 'migrations', configMap: { name: configMapName, items: loaded.items } }] : [],
      containers: [{
        name: 'flyway',
        image,
        args: ['migrate'],
        // Flyway writes reports to its working directory: keep it on the writable /tmp.
        workingDir: '/tmp',
        env,
        resources,
        volumeMounts: configMapName ? [{ name: 'migrations', mountPath: MIGRATIONS_PATH, readOnly: true }] : [],
        // No probes: a Job serves nothing, and activeDeadlineSeconds is what stops a hung migration.
      }],
    });
    const fromDirectory = loaded.image === undefined;
    const givenName = checkOptionalString(where, 'name', props.name);
    const prefix = validateDnsLabel(where, 'name', givenName ?? this.defaultName());
    // The pod template is immutable: hash it (with a stand-in for the ConfigMap name, which derives from
    // the hash) together with the migrations, so any change to either makes a new Job. A derived prefix is
    // not unique (ids `Migrate` and `migrate`, or `a/migrate` and `a-migrate`, give one), so the hash then
    // covers the construct path too: each construct of an app gets its own Job and NetworkPolicy, and only
    // moving or renaming it makes a new Job. A given name is the user's to keep unique.
    const hasher = createHash('sha256').update(loaded.digest).update(JSON.stringify(podSpec(fromDirectory ? '-' : undefined)));
    if (givenName === undefined) hasher.update(`\0${this.node.path}`);
    const hash = hasher.digest('hex').slice(0, 8);
    this.jobName = derivedName(where, prefix, hash);
    const configMapName = derivedName(where, this.jobName, 'sql');

    const labels = recommendedLabels(where, { name: prefix, instance: this.jobName, version: imageRef.tag, component: 'migration', partOf });
    const metadata = { name: this.jobName, namespace, labels };
    // With an ordering, what the Job needs joins its hook phase one weight or wave earlier.
    const prerequisite = { ...metadata, annotations: ordering?._prerequisiteAnnotations(where) };

    if (fromDirectory) {
      this.configMap = kube.configMap(this, 'Migrations', { metadata: { ...prerequisite, name: configMapName }, data: loaded.files, immutable: true });
    }

    this.job = kube.job(this, 'Job', {
      metadata: { ...metadata, annotations: ordering?._jobAnnotations(where) },
      spec: {
        backoffLimit: checkInteger(where, 'backoffLimit', props.backoffLimit ?? 2, { min: 0 }),
        activeDeadlineSeconds: durationSeconds(where, 'activeDeadline', props.activeDeadline ?? Duration.minutes(15), 1),
        ttlSecondsAfterFinished: durationSeconds(where, 'ttlAfterFinished', props.ttlAfterFinished ?? Duration.hours(24), 0),
        template: { metadata: { labels }, spec: podSpec(fromDirectory ? configMapName : undefined) },
      },
    });

    this.networkPolicy = kube.networkPolicy(this, 'NetworkPolicy', {
      metadata: prerequisite,
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/instance': this.jobName } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: this.egressRules.render(),
      },
    });
    if (database) {
      if (ordering?._runsBeforeInstall(where)) {
        throw inputError(where, `the ordering runs the Job before the release's resources exist, and database ${database.node.path} is one of them: `
          + 'on the first install the Job would wait for a database that is created only after it fails',
        'use JobOrdering.argoCdSync() (a Sync hook in a wave after the database) or JobOrdering.helmHook(\'post-install,pre-upgrade\')');
      }
      database.allowFrom(this);
    } else {
      for (const rule of databaseEgress ? [databaseEgress._rule(where)] : jdbcEgressRules(where, source.target!)) this.egressRules.addChecked(rule);
    }
  }

  /** The namespace of the Job's pods, if known. */
  public get namespaceName(): string | undefined {
    return this.objectNamespace;
  }

  /**
   * Allows egress from the Job's pods, as SecureDeployment's `addEgressRule` (rules add up; a rule must name its
   * destinations). The egress policy is not part of the pod template: the Job's name does not change.
   */
  public addEgressRule(rule: k8s.NetworkPolicyEgressRule): void {
    this.egressRules.add(`${this.where}: addEgressRule`, rule);
  }

  /** @see IPodSelector */
  public toPodSelectorConfig(): PodSelectorConfig {
    return {
      labelSelector: cdk8sPlus().LabelSelector.of({ labels: { 'app.kubernetes.io/instance': this.jobName } }),
      namespaces: this.objectNamespace ? { names: [this.objectNamespace] } : undefined,
    };
  }

  /** @see INetworkPolicyPeer */
  public toNetworkPolicyPeerConfig(): NetworkPolicyPeerConfig {
    return { podSelector: this.toPodSelectorConfig() };
  }

  /** @see INetworkPolicyPeer */
  public toPodSelector(): IPodSelector | undefined {
    return this;
  }
}

/** Where Flyway connects and as whom. */
interface MigrationSource {
  readonly jdbcUrl: string;
  readonly user: EnvValue;
  readonly password: EnvValue;
  /** The hosts of a JDBC URL given as a prop (a database of the app is reached through its own policy). */
  readonly target?: JdbcTarget;
}

/** The database of the app: its connection, without a JDBC URL or credentials beside it. */
function databaseSource(where: string, database: IDatabase, props: FlywayMigrationJobProps): MigrationSource {
  for (const prop of ['jdbcUrl', 'credentials', 'usernameKey', 'passwordKey', 'databaseEgress'] as const) {
    if (props[prop] !== undefined) {
      throw inputError(where, `${prop} is given with database ${database.node.path}, whose connection already says it`, `leave ${prop} out, or pass jdbcUrl and credentials without database`);
    }
  }
  const { jdbcUrl, username, passwordSecret, passwordKey } = database.connection;
  return {
    jdbcUrl,
    user: EnvValue.fromValue(username),
    password: EnvValue.fromSecretValue({ secret: passwordSecret, key: passwordKey }),
  };
}

/** A database outside the app: the JDBC URL and the credentials Secret, both required. */
function jdbcSource(where: string, props: FlywayMigrationJobProps, external: boolean): MigrationSource {
  if (props.jdbcUrl === undefined) {
    throw inputError(where, 'neither database nor jdbcUrl is given', 'pass database (a PostgresDatabase of the app), or jdbcUrl and credentials');
  }
  const target = parseJdbcUrl(where, props.jdbcUrl, external);
  const credentials = checkInstance<ISecret>(where, 'credentials', props.credentials, 'envValue()', 'a Secret (e.g. kplus.Secret.fromSecretName(this, \'creds\', \'db-credentials\'))');
  return {
    jdbcUrl: props.jdbcUrl,
    user: EnvValue.fromSecretValue({ secret: credentials, key: secretKey(where, 'usernameKey', props.usernameKey, 'username') }),
    password: EnvValue.fromSecretValue({ secret: credentials, key: secretKey(where, 'passwordKey', props.passwordKey, 'password') }),
    target,
  };
}

/** A key of the credentials Secret, checked as the API server checks it. */
function secretKey(where: string, what: string, value: unknown, fallback: string): string {
  const key = checkOptionalString(where, what, value) ?? fallback;
  if (!SECRET_KEY.test(key)) {
    throw inputError(where, `${what} ${quote(key)} is not a valid Secret key`, 'use letters, digits, "-", "_" and "." (at most 253 characters), e.g. "password"');
  }
  return key;
}
