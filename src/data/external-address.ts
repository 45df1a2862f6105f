/** Kinds of external addresses. */
export enum ExternalAddressKind {
  /** IP addresses, reached through a Service without selector and an EndpointSlice. */
  IP = 'ip',
  /** A DNS name, reached through a Service of type ExternalName. */
  HOSTNAME = 'hostname',
}

/** Where a service outside the cluster lives. */
export class ExternalAddress {
  /**
   * One or more IP addresses (IPv4 or IPv6): a Service without selector plus an EndpointSlice per address
   * family. Loopback, link-local, unspecified and malformed addresses are refused.
   */
  public static ip(...addresses: string[]): ExternalAddress {
    return new ExternalAddress(ExternalAddressKind.IP, addresses);
  }

  /**
   * A DNS name: a Service of type ExternalName, a CNAME in the cluster DNS. Caveats: the Service cannot
   * remap ports (clients use the database's own port), and TLS clients see the in-cluster name while the
   * server's certificate names the external host, so verify against the external name (or connect to it
   * directly) and set SNI to it.
   */
  public static hostname(hostname: string): ExternalAddress {
    return new ExternalAddress(ExternalAddressKind.HOSTNAME, [hostname]);
  }

  private constructor(
    /** IP addresses or a host name. */
    public readonly kind: ExternalAddressKind,
    /** The addresses (or the host name) as given. */
    public readonly values: string[],
  ) {}
}
