import { createHash } from 'crypto';
import { ApiObject, Chart, Duration, Names } from 'cdk8s';
import { ContainerResources, EnvValue, ISecret, k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { toKubeEnv } from './env';
import { JobOrdering } from './job-ordering';
import { Migrations, MigrationsKind } from './migrations';
import {
  dnsEgressRule, hardenedPodSpec, hostCidr, inputError, parseIp, quote, recommendedLabels, resolveRunAsIdentity,
  resourceRequirements, suggestDnsLabel, validateDnsLabel, validateExternalAddress, validateImage, validatePort,
} from '../baseline';
import { Plain } from '../baseline/plain';
import { kube } from '../kube/objects';
import { EgressTarget } from '../network/egress-target';
import { INamespaceRef } from '../network/namespace-ref';

/** The official Flyway image used for directory migrations (it runs as root; the job sets a non-root uid). */
export const DEFAULT_FLYWAY_IMAGE = 'flyway/flyway:10.20.1';

const MIGRATIONS_PATH = '/flyway/sql';
const PROCESS_ALIVE_PROBE: Plain<k8s.Probe> = { exec: { command: ['sh', '-c', 'kill -0 1'] }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 };
const DEFAULT_PORTS: { [subprotocol: string]: number } = { postgresql: 5432, mysql: 3306, mariadb: 3306, sqlserver: 1433, oracle: 1521 };

/** Props of {@link FlywayMigrationJob}. */
export interface FlywayMigrationJobProps {
  /** The JDBC URL, without credentials, e.g. `jdbc:postgresql://postgresql:5432/mydb`. */
  readonly jdbcUrl: string;
  /** The Secret with the database user and password. */
  readonly credentials: ISecret;
  /**
   * The key of the user name in the Secret.
   * @default "username"
   */
  readonly usernameKey?: string;
  /**
   * The key of the password in the Secret.
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
   * The name prefix; the Job's name adds a hash of the migrations and settings, so new migrations make a new Job.
   * @default - a DNS label derived from the construct path
   */
  readonly name?: string;
  /**
   * The namespace.
   * @default - the chart's namespace
   */
  readonly namespace?: INamespaceRef;
  /**
   * The uid Flyway runs as (the official image defaults to root; 0 is refused).
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
   * The longest the Job may run.
   * @default Duration.minutes(15)
   */
  readonly activeDeadline?: Duration;
  /**
   * How long a finished Job is kept.
   * @default Duration.hours(24)
   */
  readonly ttlAfterFinished?: Duration;
  /**
   * Requests and limits over the defaults for the Flyway JVM (cpu 100m/1, memory 256Mi/512Mi).
   * @default - the defaults
   */
  readonly resources?: ContainerResources;
  /**
   * Ordering annotations (Helm hook, Argo CD sync wave).
   * @default - none
   */
  readonly ordering?: JobOrdering;
  /**
   * Where the database is, for the NetworkPolicy. Needed when the JDBC host is a DNS name outside the
   * cluster (NetworkPolicy cannot match names).
   * @default - the JDBC host: an IP address as /32, a Service name as pods of its namespace, on the JDBC port
   */
  readonly databaseEgress?: EgressTarget;
}

/** The host and port of a JDBC URL, once it is known to carry no credentials. */
interface JdbcEndpoint {
  readonly host: string;
  readonly port: number;
}

/**
 * Versioned SQL migrations applied by a Kubernetes Job before the app needs them, hardened like every
 * workload: non-root (the official image runs as root), read-only root filesystem with a writable /tmp,
 * resources, no service account token, credentials only from a Secret, a NetworkPolicy allowing only DNS
 * and the database, and Flyway's safe settings (cleanDisabled, validateOnMigrate, no baselineOnMigrate).
 *
 * A Job's pod template is immutable: the Job's name carries a hash of the migrations and settings, so new
 * migrations make a new Job.
 */
export class FlywayMigrationJob extends Construct {
  /** The Job's name (prefix and hash). */
  public readonly jobName: string;
  /** The Job. */
  public readonly job: ApiObject;
  /** The ConfigMap with the SQL files (directory migrations). */
  public readonly configMap?: ApiObject;
  /** The NetworkPolicy. */
  public readonly networkPolicy: ApiObject;

  public constructor(scope: Construct, id: string, props: FlywayMigrationJobProps) {
    super(scope, id);
    const where = `FlywayMigrationJob ${this.node.path}`;
    const endpoint = parseJdbcUrl(where, props.jdbcUrl);
    const identity = resolveRunAsIdentity(where, props.user, props.group);
    const { files, digest } = props.migrations._load(where);
    const fromImage = props.migrations.kind === MigrationsKind.IMAGE;
    const image = fromImage ? props.migrations.source : props.image ?? DEFAULT_FLYWAY_IMAGE;
    const imageRef = validateImage(where, image);
    const namespace = props.namespace?.namespaceName ?? Chart.of(this).namespace;
    if (props.namespace && Construct.isConstruct(props.namespace)) this.node.addDependency(props.namespace);

    const flywayEnv: { [name: string]: EnvValue } = {
      FLYWAY_URL: EnvValue.fromValue(props.jdbcUrl),
      FLYWAY_USER: EnvValue.fromSecretValue({ secret: props.credentials, key: props.usernameKey ?? 'username' }),
      FLYWAY_PASSWORD: EnvValue.fromSecretValue({ secret: props.credentials, key: props.passwordKey ?? 'password' }),
      FLYWAY_LOCATIONS: EnvValue.fromValue(`filesystem:${MIGRATIONS_PATH}`),
      FLYWAY_CLEAN_DISABLED: EnvValue.fromValue('true'),
      FLYWAY_VALIDATE_ON_MIGRATE: EnvValue.fromValue('true'),
      FLYWAY_VALIDATE_MIGRATION_NAMING: EnvValue.fromValue('true'),
      FLYWAY_BASELINE_ON_MIGRATE: EnvValue.fromValue(String(props.baselineOnMigrate ?? false)),
      FLYWAY_CONNECT_RETRIES: EnvValue.fromValue(String(nonNegative(where, 'connectRetries', props.connectRetries ?? 12))),
      FLYWAY_CONNECT_RETRIES_INTERVAL: EnvValue.fromValue('10'),
    };
    const env = toKubeEnv(where, flywayEnv);
    const settings = { image, env, identity, jobSettings: [props.backoffLimit, props.activeDeadline?.toSeconds(), props.resources] };
    const hash = createHash('sha256').update(digest).update(JSON.stringify(settings)).digest('hex').slice(0, 8);
    const prefix = validateDnsLabel(where, 'name', props.name ?? suggestDnsLabel(Names.toDnsLabel(this, { includeHash: false })));
    this.jobName = `${prefix.slice(0, 54).replace(/-+$/, '')}-${hash}`;

    const labels = recommendedLabels(where, {
      name: prefix.slice(0, 63), instance: this.jobName, version: imageRef.tag, component: 'migration', partOf: suggestDnsLabel(Chart.of(this).node.id),
    });
    const metadata = { name: this.jobName, namespace, labels };

    if (!fromImage) {
      this.configMap = kube.configMap(this, 'Migrations', { metadata: { ...metadata, name: `${this.jobName}-sql` }, data: files, immutable: true });
    }

    this.job = kube.job(this, 'Job', {
      metadata: { ...metadata, annotations: props.ordering?.annotations },
      spec: {
        backoffLimit: nonNegative(where, 'backoffLimit', props.backoffLimit ?? 2),
        activeDeadlineSeconds: (props.activeDeadline ?? Duration.minutes(15)).toSeconds(),
        ttlSecondsAfterFinished: (props.ttlAfterFinished ?? Duration.hours(24)).toSeconds(),
        template: {
          metadata: { labels },
          spec: hardenedPodSpec(where, {
            identity,
            restartPolicy: 'Never',
            volumes: this.configMap ? [{ name: 'migrations', configMap: { name: `${this.jobName}-sql` } }] : [],
            containers: [{
              name: 'flyway',
              image,
              args: ['migrate'],
              // Flyway writes reports to its working directory: keep it on the writable /tmp.
              workingDir: '/tmp',
              env,
              resources: resourceRequirements(where, props.resources, {
                cpuRequest: '100m',
                cpuLimit: '1',
                memoryRequest: '256Mi',
                memoryLimit: '512Mi',
                ephemeralStorageRequest: '64Mi',
                ephemeralStorageLimit: '256Mi',
              }),
              volumeMounts: this.configMap ? [{ name: 'migrations', mountPath: MIGRATIONS_PATH, readOnly: true }] : [],
              // A batch job serves nothing: these only check that Flyway's process is alive (Datree requires
              // probes on every container). activeDeadlineSeconds is what stops a hung migration.
              livenessProbe: PROCESS_ALIVE_PROBE,
              readinessProbe: PROCESS_ALIVE_PROBE,
            }],
          }),
        },
      },
    });

    this.networkPolicy = kube.networkPolicy(this, 'NetworkPolicy', {
      metadata,
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/instance': this.jobName } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [dnsEgressRule(), databaseRule(where, endpoint, props.databaseEgress)],
      },
    });
  }
}

/**
 * The host and port of a JDBC URL; refuses URLs with credentials (user:password@, password= or pwd=
 * parameters, Oracle's user/password@).
 */
function parseJdbcUrl(where: string, url: string): JdbcEndpoint {
  const fix = 'keep user and password in the credentials Secret and remove them from the URL';
  if (/[?&;](password|pwd|passwd)=/i.test(url)) {
    throw inputError(where, 'the JDBC URL carries a password parameter, which would be written into the manifest in clear text', fix);
  }
  const match = /^jdbc:([a-z0-9]+)(?::thin:@|:\/\/)(?:\/\/)?(?:([^@/]*)@)?(\[[0-9a-fA-F:.]+\]|[^:/;?@]+)(?::([0-9]+))?/i.exec(url);
  if (!match) {
    throw inputError(where, `JDBC URL ${quote(url)} is not of the form jdbc:<driver>://<host>[:<port>]/<database>`, 'e.g. jdbc:postgresql://postgresql:5432/mydb');
  }
  const [, subprotocol, userInfo, host, port] = match;
  if (userInfo !== undefined && (userInfo.includes(':') || userInfo.includes('/'))) {
    throw inputError(where, 'the JDBC URL carries a password in its user-info part, which would be written into the manifest in clear text', fix);
  }
  const defaultPort = DEFAULT_PORTS[subprotocol.toLowerCase()];
  if (!port && !defaultPort) {
    throw inputError(where, `JDBC URL ${quote(url)} has no port and ${subprotocol} has no known default`, 'write the port, e.g. jdbc:<driver>://host:<port>/db');
  }
  return { host: host.replace(/^\[|\]$/g, ''), port: validatePort(where, 'JDBC port', port ? Number(port) : defaultPort) };
}

function databaseRule(where: string, endpoint: JdbcEndpoint, given: EgressTarget | undefined): Plain<k8s.NetworkPolicyEgressRule> {
  if (given) return given._rule(where);
  const ports = [{ protocol: 'TCP', port: endpoint.port }];
  if (parseIp(endpoint.host)) {
    return { to: [{ ipBlock: { cidr: hostCidr(validateExternalAddress(where, endpoint.host)).text } }], ports };
  }
  // A Service name: `name` (this namespace), `name.ns.svc` or `name.ns.svc.cluster.local`.
  const service = /^[a-z0-9-]+(?:\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?)?$/.exec(endpoint.host);
  if (!service) {
    throw inputError(
      where,
      `the database host ${quote(endpoint.host)} is not an IP address or a Service name, and a NetworkPolicy cannot match DNS names`,
      `pass databaseEgress: EgressTarget.cidr('<database address>/32', { tcp: [${endpoint.port}] })`,
    );
  }
  const namespace = service[1];
  return { to: [namespace ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } }, podSelector: {} } : { podSelector: {} }], ports };
}

function nonNegative(where: string, what: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw inputError(where, `${what} ${quote(value)} is not a whole number`, 'use 0 or a positive integer');
  return value;
}
