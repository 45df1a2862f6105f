import { inputError, quote } from '../../core/errors';
import { validateExternalAddress } from '../../k8s/addresses';
import { IpAddress } from '../../k8s/cidr';
import { validateExternalHostname } from '../../k8s/hostnames';

/** Where a service outside the cluster lives. */
export class ExternalAddress {
  /**
   * One or more IP addresses (IPv4 or IPv6, mixed as needed): a Service without selector plus an
   * EndpointSlice per address family. Addresses are judged canonical (`::ffff:10.0.0.1` is 10.0.0.1);
   * loopback, link-local, unspecified, multicast, cloud metadata and credential endpoints (169.254.169.254 and
   * the rest of CLOUD_METADATA_ADDRESSES, in any spelling), malformed and repeated addresses are refused.
   */
  public static ip(...addresses: string[]): ExternalAddress {
    return new ExternalAddress('ip', addresses);
  }

  /**
   * A DNS name: a Service of type ExternalName, a CNAME in the cluster DNS. The name is judged canonical
   * (lower case, one trailing dot dropped); names that reach the pod itself (`localhost`), a cloud metadata
   * service (`metadata.google.internal`), the API server (`kubernetes.default.svc`) or an in-cluster Service
   * are refused. Caveats: the Service cannot remap ports (clients use the database's own port), and TLS
   * clients see the in-cluster name while the server's certificate names the external host, so verify
   * against the external name (or connect to it directly) and set SNI to it.
   */
  public static hostname(hostname: string): ExternalAddress {
    return new ExternalAddress('hostname', [hostname]);
  }

  private constructor(
    private readonly kind: 'ip' | 'hostname',
    /** The addresses (or the host name) as given. */
    public readonly values: string[],
  ) {}

  /**
   * The addresses checked and canonical (errors name `where`): IP addresses, or a host name.
   * @internal
   */
  public _resolve(where: string): { readonly ips: Array<IpAddress & { readonly text: string }>; readonly hostname?: string } {
    if (this.kind === 'hostname') return { ips: [], hostname: validateExternalHostname(where, 'hostname', this.values[0]) };
    if (this.values.length === 0) throw inputError(where, 'ExternalAddress.ip() lists no address', 'pass at least one address');
    const ips = this.values.map((address) => validateExternalAddress(where, address));
    ips.forEach((ip, i) => {
      const first = ips.findIndex((other) => other.text === ip.text);
      if (first !== i) {
        throw inputError(
          where,
          `address ${quote(this.values[i])} is listed twice (also as ${quote(this.values[first])}; both are ${ip.text})`,
          'list each address once (the EndpointSlice would route to it twice as often)',
        );
      }
    });
    return { ips };
  }
}
