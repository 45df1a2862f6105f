import { ApiObject } from 'cdk8s';
import { EnvValue, IPodSelector, ISecret, Secret } from 'cdk8s-plus-27';
import { Construct, IConstruct } from 'constructs';
import { ExternalAddress } from './external-address';
import { inputError, quote } from '../../core/errors';
import { MANAGED_BY, recommendedLabels } from '../../core/labels';
import { suggestDnsLabel, validateDataKey, validateDnsLabel, validateDnsSubdomain } from '../../core/names';
import { checkInstance, checkInteger, checkOptionalBoolean, checkOptionalString, checkPropsObject, checkString, checkStringMap, PropKeys } from '../../core/prop-checks';
import { hostCidr } from '../../k8s/addresses';
import { kube } from '../../k8s/objects';
import { describeCredential, findCredentials } from '../../parsers/credentials';
import { derivedName } from '../base/derived-name';
import { HardenedConstruct } from '../base/hardened-construct';
import { INamespaceRef } from '../base/namespace-ref';
import { EgressAllowlist, EgressMode } from '../network/egress-allowlist';
import { EgressTarget } from '../network/egress-target';

/** Props of {@link ExternalMongoService}. */
export interface ExternalMongoServiceProps {
  /** Where the database lives: `ExternalAddress.ip(...)` or `ExternalAddress.hostname(...)`. */
  readonly address: ExternalAddress;
  /**
   * The database port.
   * @default 27017
   */
  readonly port?: number;
  /** The database name. */
  readonly database: string;
  /** The Secret holding the user name and password. */
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
  /**
   * The in-cluster Service name workloads connect to (`mongodb://<name>`).
   * @default - the construct id, or its path below the chart joined with `-` when nested (`orders-web`); see README "Object names"
   */
  readonly name?: string;
  /**
   * The namespace of the Service.
   * @default - the chart's namespace
   */
  readonly namespace?: INamespaceRef;
  /**
   * The database that holds the user (`authSource`).
   * @default "admin"
   */
  readonly authSource?: string;
  /**
   * Connect with TLS (`tls=true`). Turning it off is an explicit choice written here; `options` can never
   * turn TLS off or weaken it.
   * @default true
   */
  readonly tls?: boolean;
  /**
   * Use a `mongodb+srv://` URI (a DNS seed list), which needs `ExternalAddress.hostname`.
   *
   * The hosts the SRV records
   * name are chosen by whoever controls that DNS zone: they are not checked here, and `allowFrom` lets the
   * workload reach only the SRV name itself, so allow the member hosts separately.
   * @default false
   */
  readonly srv?: boolean;
  /**
   * Further connection options, e.g. `{ replicaSet: 'rs0' }`. Option names are compared case-insensitively
   * as MongoDB drivers do. Refused: options that weaken TLS (`tlsInsecure`, `tlsAllowInvalidCertificates`,
   * `tlsAllowInvalidHostnames`, `tlsDisableOCSPEndpointCheck`, `tlsDisableCertificateRevocationCheck` and
   * their `ssl…` aliases), `tls`/`ssl` (use the `tls` prop), `authSource` (use the prop), credentials
   * (`password`, `tlsCertificateKeyFilePassword`, an `AWS_SESSION_TOKEN` in `authMechanismProperties`, any
   * value the credential detector flags), options that send the connection elsewhere than the database the
   * egress policy allows (the SOCKS5 proxy options `proxyHost`, `proxyPort`, `proxyUsername`,
   * `proxyPassword`), `srvServiceName` and `srvMaxHosts` without `srv` (drivers refuse them on a
   * `mongodb://` URI), and repeated names.
   * @default - none
   */
  readonly options?: { [key: string]: string };
}

/** Options of {@link ExternalMongoService.allowFrom}. */
export interface AllowFromOptions {
  /**
   * How egress is enforced.
   * @default EgressMode.KUBERNETES for IP addresses; a host name needs EgressMode.ISTIO
   */
  readonly mode?: EgressMode;
}

const EXTERNAL_MONGO_SERVICE_PROPS: PropKeys<ExternalMongoServiceProps> = {
  address: true,
  port: true,
  database: true,
  credentials: true,
  usernameKey: true,
  passwordKey: true,
  name: true,
  namespace: true,
  authSource:
  true,
  tls: true,
  srv: true,
  options: true,
};
const ALLOW_FROM_OPTIONS: PropKeys<AllowFromOptions> = { mode: true };

/**
 * A MongoDB outside the cluster behind a stable in-cluster name (`mongodb://mongo`), so that
 * environments differ only in the address: a Service without selector and an EndpointSlice for IP
 * addresses, or an ExternalName Service for a DNS name.
 *
 * Credentials stay in their Secret: workloads get secretKeyRef env values and a connection string
 * without credentials; a full URI with percent-encoded credentials is built only inside a Secret.
 */
export class ExternalMongoService extends HardenedConstruct {
  /** The Service name. */
  public readonly serviceName: string;
  /** The port. */
  public readonly port: number;
  /** `mongodb://<service>:<port>/<database>?…` without credentials. */
  public readonly connectionString: string;
  /** The Service. */
  public readonly service: ApiObject;
  /** The EndpointSlices (IP addresses). */
  public readonly endpointSlices: ApiObject[] = [];
  /** The Secret with the full URI (`uri` key), when the credentials Secret is defined in this app. */
  public readonly uriSecret?: ApiObject;

  private readonly credentials: ISecret;
  private readonly usernameKey: string;
  private readonly passwordKey: string;
  /**
   * The egress targets of the database (its addresses, or its host name, on its port), for an EgressAllowlist
   * that lists more targets (in Istio mode a workload has one allowlist: `allow: [...mongo.egressTargets, …]`).
   */
  public readonly egressTargets: EgressTarget[];
  private readonly hostname?: string;
  private readonly allowNames = new Set<string>();

  public constructor(scope: Construct, id: string, props: ExternalMongoServiceProps) {
    super(scope, id, 'ExternalMongoService', props, Object.keys(EXTERNAL_MONGO_SERVICE_PROPS));
    const { where, objectNamespace: namespace, chartPartOf: partOf } = this;
    const givenName = checkOptionalString(where, 'name', props.name);
    this.serviceName = validateDnsLabel(where, 'name', givenName ?? this.defaultName());
    this.port = checkInteger(where, 'port', props.port ?? DEFAULT_PORT, { min: 1, max: 65535, hint: `use the database port, from 1 to 65535 (default ${DEFAULT_PORT})` });
    const address = checkInstance<ExternalAddress>(where, 'address', props.address, '_resolve()', 'an ExternalAddress (ExternalAddress.ip(...) or ExternalAddress.hostname(...))');
    this.credentials = checkInstance<ISecret>(where, 'credentials', props.credentials, 'name', 'a Secret (e.g. kplus.Secret.fromSecretName(this, "creds", "mongo-credentials"))');
    validateDnsSubdomain(where, 'the name of the credentials Secret', this.credentials.name);
    this.usernameKey = validateDataKey(where, 'usernameKey', checkOptionalString(where, 'usernameKey', props.usernameKey) ?? 'username');
    this.passwordKey = validateDataKey(where, 'passwordKey', checkOptionalString(where, 'passwordKey', props.passwordKey) ?? 'password');
    if (this.usernameKey === this.passwordKey) {
      throw inputError(where, `usernameKey and passwordKey are both ${quote(this.usernameKey)}`, 'point them at the two different keys of the Secret');
    }
    const database = validateDatabaseName(where, 'database', checkString(where, 'database', props.database));
    const authSource = checkOptionalString(where, 'authSource', props.authSource) ?? DEFAULT_AUTH_SOURCE;
    if (authSource !== '$external') validateDatabaseName(where, 'authSource', authSource);
    const tls = checkOptionalBoolean(where, 'tls', props.tls) ?? true;
    const srv = checkOptionalBoolean(where, 'srv', props.srv) ?? false;
    const options = checkMongoOptions(where, props.options, srv);

    const labels = recommendedLabels(where, { name: this.serviceName, instance: this.serviceName, component: 'database', partOf });
    const metadata = { name: this.serviceName, namespace, labels };
    const servicePort = { name: 'mongodb', port: this.port, targetPort: this.port, protocol: 'TCP' };
    const resolved = address._resolve(where);

    if (resolved.hostname === undefined) {
      if (srv) {
        throw inputError(where, 'mongodb+srv:// needs a DNS name with SRV records, and IP addresses have none', 'use ExternalAddress.hostname(...) with srv, or leave srv off');
      }
      const ips = resolved.ips;
      this.egressTargets = ips.map((ip) => EgressTarget.cidr(hostCidr(ip).text, { tcp: [this.port] }));
      // No selector: the EndpointSlices below are the Service's endpoints.
      this.service = kube.service(this, 'Service', { metadata, spec: { type: 'ClusterIP', ports: [servicePort] } });
      for (const version of [4, 6]) {
        const addresses = ips.filter((ip) => ip.version === version).map((ip) => ip.text);
        if (addresses.length === 0) continue;
        this.endpointSlices.push(kube.endpointSlice(this, `EndpointSlice-ipv${version}`, {
          metadata: {
            name: derivedName(where, this.serviceName, `ipv${version}`),
            namespace,
            labels: { ...labels, 'kubernetes.io/service-name': this.serviceName, 'endpointslice.kubernetes.io/managed-by': MANAGED_BY },
          },
          addressType: `IPv${version}`,
          endpoints: addresses.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
          ports: [{ name: 'mongodb', port: this.port, protocol: 'TCP' }],
        }));
      }
    } else {
      const hostname = resolved.hostname;
      this.hostname = hostname;
      this.egressTargets = [EgressTarget.host(hostname, { tcp: [this.port] })];
      this.service = kube.service(this, 'Service', {
        metadata,
        spec: { type: 'ExternalName', externalName: hostname, ports: [servicePort] },
      });
    }

    const query = new URLSearchParams({ authSource, tls: String(tls), ...options }).toString();
    const host = srv ? this.hostname! : `${this.serviceName}:${this.port}`;
    const scheme = srv ? 'mongodb+srv' : 'mongodb';
    this.connectionString = `${scheme}://${host}/${encodeURIComponent(database)}?${query}`;

    const knownSecret = this.credentials instanceof Secret ? this.credentials : undefined;
    const username = knownSecret?.getStringData(this.usernameKey);
    const password = knownSecret?.getStringData(this.passwordKey);
    if (username !== undefined && password !== undefined) {
      this.uriSecret = kube.secret(this, 'UriSecret', {
        metadata: { name: derivedName(where, this.serviceName, 'uri'), namespace, labels },
        type: 'Opaque',
        stringData: {
          uri: `${scheme}://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}/${encodeURIComponent(database)}?${query}`,
        },
      });
    }
  }

  /** The user name, as a reference to the credentials Secret. */
  public usernameEnv(): EnvValue {
    return EnvValue.fromSecretValue({ secret: this.credentials, key: this.usernameKey });
  }

  /** The password, as a reference to the credentials Secret. */
  public passwordEnv(): EnvValue {
    return EnvValue.fromSecretValue({ secret: this.credentials, key: this.passwordKey });
  }

  /** The full URI with credentials, as a reference to the URI Secret (only when this construct built it). */
  public uriEnv(): EnvValue {
    if (!this.uriSecret) {
      throw inputError(
        this.where,
        `the credentials Secret ${quote(this.credentials.name)} is not defined in this app, so no URI with credentials can be built`,
        'use connectionString with usernameEnv() and passwordEnv(), or define the Secret with kplus.Secret and stringData',
      );
    }
    return EnvValue.fromSecretValue({ secret: Secret.fromSecretName(this, 'UriSecretRef', this.uriSecret.name), key: 'uri' });
  }

  /** Environment variables for a workload: `<prefix>_URL` (no credentials), `<prefix>_USERNAME`, `<prefix>_PASSWORD`. */
  public env(prefix: string = 'MONGO'): { [name: string]: EnvValue } {
    return {
      [`${prefix}_URL`]: EnvValue.fromValue(this.connectionString),
      [`${prefix}_USERNAME`]: this.usernameEnv(),
      [`${prefix}_PASSWORD`]: this.passwordEnv(),
    };
  }

  /**
   * Lets the workload's pods reach exactly this database: egress to each address (/32 or /128) on the
   * port, or, for a host name, through the mesh (ServiceEntry) with `mode: EgressMode.ISTIO`.
   */
  public allowFrom(workload: IPodSelector, options: AllowFromOptions = {}): EgressAllowlist {
    const expected = 'a workload (a SecureDeployment or kplus.Pods.select(...))';
    checkInstance<IPodSelector>(this.where, 'allowFrom workload', workload, 'toPodSelectorConfig()', expected);
    checkInstance<IConstruct>(this.where, 'allowFrom workload', workload, 'node', expected);
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw inputError(this.where, 'allowFrom options are not an object', 'pass { mode: EgressMode.ISTIO }, or leave the options out');
    }
    checkPropsObject(this.where, options, ALLOW_FROM_OPTIONS, 'allowFrom options');
    const id = `AllowFrom-${workload.node.addr.slice(0, 8)}`;
    if (this.node.tryFindChild(id)) {
      throw inputError(this.where, `allowFrom(${workload.node.path}) was already called`, 'call allowFrom once per workload');
    }
    if (this.hostname && options.mode !== EgressMode.ISTIO) {
      throw inputError(
        this.where,
        `the database is the host name ${quote(this.hostname)}, and a Kubernetes NetworkPolicy can only match IP blocks, pods and namespaces`,
        'pass { mode: EgressMode.ISTIO } (a ServiceEntry enforces the name), or use ExternalAddress.ip(...)',
      );
    }
    // Two workloads whose ids read alike (Web, web) get the same slug: the construct address keeps them apart.
    const slug = `from-${suggestDnsLabel(workload.node.id).slice(0, 30).replace(/-+$/, '')}`;
    let name = derivedName(this.where, this.serviceName, slug);
    if (this.allowNames.has(name)) name = derivedName(this.where, this.serviceName, `${slug}-${workload.node.addr.slice(0, 8)}`);
    this.allowNames.add(name);
    return new EgressAllowlist(this, id, { workload, mode: options.mode, name, allow: this.egressTargets });
  }
}

const DEFAULT_PORT = 27017;
const DEFAULT_AUTH_SOURCE = 'admin';

/** A MongoDB database name: 1 to 63 characters without / \\ . " $, spaces or NUL. */
function validateDatabaseName(where: string, what: string, name: string): string {
  if (!/^[^/\\. "$\u0000]{1,63}$/.test(name)) {
    throw inputError(where, `${what} ${quote(name)} is not a valid MongoDB database name`, 'use 1 to 63 characters without / \\ . " $ or spaces');
  }
  return name;
}

/** URI options that switch certificate or host-name checks off (lower case; drivers compare names case-insensitively). */
const TLS_WEAKENING_OPTIONS = new Set([
  'tlsinsecure', 'tlsallowinvalidcertificates', 'tlsallowinvalidhostnames', 'tlsdisableocspendpointcheck', 'tlsdisablecertificaterevocationcheck',
  'sslallowinvalidcertificates', 'sslallowinvalidhostnames', 'sslinvalidhostnameallowed',
]);
/** URI options that carry a secret whatever their value looks like. */
const SECRET_OPTIONS = new Set(['password', 'proxypassword', 'tlscertificatekeyfilepassword', 'sslpemkeypassword']);
/**
 * URI options that send the connection elsewhere than the database: the driver would connect to a SOCKS5
 * proxy (which then connects on), so the egress policy, written for the database's address and port, would
 * either break the connection or, with a proxy inside the pod or the cluster, be bypassed. Other options
 * that choose hosts stay allowed: `directConnection` and `loadBalanced` only narrow discovery to the given
 * host, `replicaSet` discovery reaches members the egress policy still has to allow (it fails closed).
 */
const PROXY_OPTIONS = new Set(['proxyhost', 'proxyport', 'proxyusername', 'proxypassword']);
/** URI options drivers accept only with `mongodb+srv://` (a `mongodb://` URI with them is invalid). */
const SRV_OPTIONS = new Set(['srvservicename', 'srvmaxhosts']);
/** URI options set from props, which the options map must not override. */
const PROP_OPTIONS: { [key: string]: string } = { tls: 'tls', ssl: 'tls', authsource: 'authSource' };

/**
 * Checks the extra URI options: names as MongoDB reads them (case-insensitive, letters and digits), no TLS
 * weakening, no override of the props, no credentials (reported by kind and position, never by value).
 */
function checkMongoOptions(where: string, given: unknown, srv: boolean): { [key: string]: string } {
  if (given === undefined) return {};
  const options = checkStringMap(where, 'options', given);
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(options)) {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) {
      throw inputError(where, `options key ${quote(key)} is not a MongoDB URI option name`, 'use the option\'s name, e.g. "replicaSet", "readPreference"');
    }
    const lower = key.toLowerCase();
    if (seen.has(lower)) {
      throw inputError(where, `options ${quote(seen.get(lower))} and ${quote(key)} are the same option (MongoDB compares option names case-insensitively)`, 'set it once');
    }
    seen.set(lower, key);
    if (TLS_WEAKENING_OPTIONS.has(lower)) {
      throw inputError(where, `options ${quote(key)} weakens TLS (certificate, host-name or revocation checks), which would let anyone on the path read the traffic and the credentials`, 'remove it; give the driver the CA with tlsCAFile if the certificate is private');
    }
    if (PROXY_OPTIONS.has(lower)) {
      throw inputError(
        where,
        `options ${quote(key)} sends the connection through a SOCKS5 proxy instead of to the database, around the egress policy allowFrom writes for the database's address and port`,
        'remove the proxy options: workloads connect to the database directly (allowFrom allows exactly that)',
      );
    }
    if (SRV_OPTIONS.has(lower) && !srv) {
      throw inputError(where, `options ${quote(key)} applies only to mongodb+srv:// URIs, and drivers refuse it on a mongodb:// URI`, 'set srv: true with ExternalAddress.hostname(...), or remove the option');
    }
    if (PROP_OPTIONS[lower]) {
      throw inputError(where, `options ${quote(key)} would override the ${PROP_OPTIONS[lower]} prop`, `set the ${PROP_OPTIONS[lower]} prop instead (TLS stays on unless tls: false is written there)`);
    }
    const secretByName = SECRET_OPTIONS.has(lower) || (lower === 'authmechanismproperties' && /(^|,)\s*AWS_SESSION_TOKEN\s*:/i.test(value));
    const found = secretByName ? [] : findCredentials(value, { name: key });
    if (secretByName || found.length) {
      throw inputError(
        where,
        `options ${quote(key)} holds ${found.length ? describeCredential(found[0]) : 'a credential'} (value not shown), which would be written into the connection string every workload sees`,
        'keep credentials in the credentials Secret (usernameKey, passwordKey); for AWS authentication let the driver read the session token from the environment',
      );
    }
  }
  return options;
}
