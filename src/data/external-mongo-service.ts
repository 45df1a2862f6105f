import { ApiObject, Chart } from 'cdk8s';
import { EnvValue, IPodSelector, ISecret, Secret } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ExternalAddress, ExternalAddressKind } from './external-address';
import {
  hostCidr, inputError, MANAGED_BY, quote, recommendedLabels, suggestDnsLabel, validateDnsLabel, validateDnsSubdomain,
  validateExternalAddress, validatePort,
} from '../baseline';
import { kube } from '../kube/objects';
import { EgressAllowlist, EgressMode } from '../network/egress-allowlist';
import { EgressTarget } from '../network/egress-target';
import { INamespaceRef } from '../network/namespace-ref';

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
   * @default - the construct id
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
   * Connect with TLS (`tls=true`).
   * @default true
   */
  readonly tls?: boolean;
  /**
   * Use a `mongodb+srv://` URI (DNS seed list); needs `ExternalAddress.hostname`.
   * @default false
   */
  readonly srv?: boolean;
  /**
   * Further connection options, e.g. `{ replicaSet: 'rs0' }`.
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

/**
 * A MongoDB outside the cluster behind a stable in-cluster name (`mongodb://mongo`), so that
 * environments differ only in the address: a Service without selector and an EndpointSlice for IP
 * addresses, or an ExternalName Service for a DNS name.
 *
 * Credentials stay in their Secret: workloads get secretKeyRef env values and a connection string
 * without credentials; a full URI with percent-encoded credentials is built only inside a Secret.
 */
export class ExternalMongoService extends Construct {
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

  private readonly where: string;
  private readonly credentials: ISecret;
  private readonly usernameKey: string;
  private readonly passwordKey: string;
  private readonly targets: EgressTarget[];
  private readonly hostname?: string;

  public constructor(scope: Construct, id: string, props: ExternalMongoServiceProps) {
    super(scope, id);
    this.where = `ExternalMongoService ${this.node.path}`;
    const where = this.where;
    this.serviceName = validateDnsLabel(where, 'name', props.name ?? id);
    this.port = validatePort(where, 'port', props.port ?? 27017);
    this.credentials = props.credentials;
    this.usernameKey = props.usernameKey ?? 'username';
    this.passwordKey = props.passwordKey ?? 'password';
    const namespace = props.namespace?.namespaceName ?? Chart.of(this).namespace;
    if (props.namespace && Construct.isConstruct(props.namespace)) this.node.addDependency(props.namespace);
    const labels = recommendedLabels(where, {
      name: this.serviceName, instance: this.serviceName, component: 'database', partOf: suggestDnsLabel(Chart.of(this).node.id),
    });
    const metadata = { name: this.serviceName, namespace, labels };
    const servicePort = { name: 'mongodb', port: this.port, targetPort: this.port, protocol: 'TCP' };

    if (props.address.kind === ExternalAddressKind.IP) {
      if (props.srv) {
        throw inputError(where, 'mongodb+srv:// needs a DNS name with SRV records, and IP addresses have none', 'use ExternalAddress.hostname(...) with srv, or leave srv off');
      }
      if (props.address.values.length === 0) throw inputError(where, 'ExternalAddress.ip() lists no address', 'pass at least one address');
      const ips = props.address.values.map((a) => validateExternalAddress(where, a));
      this.targets = ips.map((ip) => EgressTarget.cidr(hostCidr(ip).text, { tcp: [this.port] }));
      // No selector: the EndpointSlices below are the Service's endpoints.
      this.service = kube.service(this, 'Service', { metadata, spec: { type: 'ClusterIP', ports: [servicePort] } });
      for (const version of [4, 6]) {
        const addresses = ips.filter((ip) => ip.version === version).map((ip) => ip.text);
        if (addresses.length === 0) continue;
        this.endpointSlices.push(kube.endpointSlice(this, `EndpointSlice-ipv${version}`, {
          metadata: {
            name: `${this.serviceName}-ipv${version}`,
            namespace,
            labels: { ...labels, 'kubernetes.io/service-name': this.serviceName, 'endpointslice.kubernetes.io/managed-by': MANAGED_BY },
          },
          addressType: `IPv${version}`,
          endpoints: addresses.map((address) => ({ addresses: [address], conditions: { ready: true } })),
          ports: [{ name: 'mongodb', port: this.port, protocol: 'TCP' }],
        }));
      }
    } else {
      const hostname = validateDnsSubdomain(where, 'hostname (RFC 1123)', props.address.values[0] ?? '');
      this.hostname = hostname;
      this.targets = [EgressTarget.host(hostname, { tcp: [this.port] })];
      this.service = kube.service(this, 'Service', {
        metadata,
        spec: { type: 'ExternalName', externalName: hostname, ports: [servicePort] },
      });
    }

    if (!/^[^/\\. "$\u0000]{1,63}$/.test(props.database)) {
      throw inputError(where, `database name ${quote(props.database)} is not valid in MongoDB`, 'use 1 to 63 characters without / \\ . " $ or spaces');
    }
    const query = new URLSearchParams({ authSource: props.authSource ?? 'admin', tls: String(props.tls ?? true), ...(props.options ?? {}) }).toString();
    const host = props.srv ? props.address.values[0] : `${this.serviceName}:${this.port}`;
    const scheme = props.srv ? 'mongodb+srv' : 'mongodb';
    this.connectionString = `${scheme}://${host}/${encodeURIComponent(props.database)}?${query}`;

    const knownSecret = props.credentials instanceof Secret ? props.credentials : undefined;
    const username = knownSecret?.getStringData(this.usernameKey);
    const password = knownSecret?.getStringData(this.passwordKey);
    if (username !== undefined && password !== undefined) {
      this.uriSecret = kube.secret(this, 'UriSecret', {
        metadata: { name: `${this.serviceName}-uri`, namespace, labels },
        type: 'Opaque',
        stringData: {
          uri: `${scheme}://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}/${encodeURIComponent(props.database)}?${query}`,
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
    return new EgressAllowlist(this, id, {
      workload,
      mode: options.mode,
      name: `${this.serviceName}-from-${suggestDnsLabel(workload.node.id)}`.slice(0, 50).replace(/-+$/, ''),
      allow: this.targets,
    });
  }
}
