import { EVERY_PORT, formatPorts, intersectPorts, isEveryPort, NO_PORTS, PortRanges, portRange, samePorts, subtractPorts, unionPorts } from './port-ranges';

/** The protocols a NetworkPolicy port names (TCP when none is given). */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** Every protocol a NetworkPolicy can name, in the order connections are written. */
export const PROTOCOLS: readonly Protocol[] = Object.freeze(['SCTP', 'TCP', 'UDP'] as Protocol[]);

/** Whether a value is one of the protocols of `PROTOCOLS`. */
export function isProtocol(value: unknown): value is Protocol {
  return value === 'TCP' || value === 'UDP' || value === 'SCTP';
}

/** A range of ports, both ends included. */
export interface PortRange {
  /** The first port. */
  readonly first: number;
  /** The last port (equal to `first` for one port). */
  readonly last: number;
}

/**
 * A set of connections: for each protocol (TCP, UDP, SCTP) a set of ports. Immutable: `union` and `intersect` return
 * new sets (or one of their operands when it is the answer), so sets can be shared freely. `ConnectionSet.ALL` and
 * `ConnectionSet.NONE` are the two ends; a set that holds every port of every protocol is always `ALL` itself.
 */
export class ConnectionSet {
  /** Every port of every protocol. */
  public static readonly ALL = new ConnectionSet(EVERY_PORT, EVERY_PORT, EVERY_PORT);
  /** No connection. */
  public static readonly NONE = new ConnectionSet(NO_PORTS, NO_PORTS, NO_PORTS);

  /** The ports `first` to `last` of one protocol (one port when `last` is omitted). */
  public static ports(protocol: Protocol, first: number, last: number = first): ConnectionSet {
    return ConnectionSet.make({ [protocol]: portRange(first, last) });
  }

  /** Every port of one protocol. */
  public static everyPortOf(protocol: Protocol): ConnectionSet {
    return ConnectionSet.make({ [protocol]: EVERY_PORT });
  }

  private static make(ranges: { readonly [protocol: string]: PortRanges | undefined }): ConnectionSet {
    const tcp = ranges.TCP ?? NO_PORTS;
    const udp = ranges.UDP ?? NO_PORTS;
    const sctp = ranges.SCTP ?? NO_PORTS;
    if (tcp.length === 0 && udp.length === 0 && sctp.length === 0) return ConnectionSet.NONE;
    if (isEveryPort(tcp) && isEveryPort(udp) && isEveryPort(sctp)) return ConnectionSet.ALL;
    return new ConnectionSet(tcp, udp, sctp);
  }

  private constructor(private readonly tcp: PortRanges, private readonly udp: PortRanges, private readonly sctp: PortRanges) {}

  /** Whether no connection is in the set. */
  public get isEmpty(): boolean {
    return this === ConnectionSet.NONE;
  }

  /** Whether every connection is in the set. */
  public get isAll(): boolean {
    return this === ConnectionSet.ALL;
  }

  /** The connections in this set or the other. */
  public union(other: ConnectionSet): ConnectionSet {
    if (this === other || other === ConnectionSet.NONE || this === ConnectionSet.ALL) return this;
    if (this === ConnectionSet.NONE || other === ConnectionSet.ALL) return other;
    return this.combine(other, unionPorts);
  }

  /** The connections in both this set and the other. */
  public intersect(other: ConnectionSet): ConnectionSet {
    if (this === other || other === ConnectionSet.ALL || this === ConnectionSet.NONE) return this;
    if (this === ConnectionSet.ALL || other === ConnectionSet.NONE) return other;
    return this.combine(other, intersectPorts);
  }

  /** The connections in this set and not in the other (a deny rule taken away from what is allowed). */
  public subtract(other: ConnectionSet): ConnectionSet {
    if (other === ConnectionSet.NONE || this === ConnectionSet.NONE) return this;
    if (other === ConnectionSet.ALL || this === other) return ConnectionSet.NONE;
    return this.combine(other, subtractPorts);
  }

  /** Whether the two sets hold the same connections. */
  public equals(other: ConnectionSet): boolean {
    return this === other || (samePorts(this.tcp, other.tcp) && samePorts(this.udp, other.udp) && samePorts(this.sctp, other.sctp));
  }

  /** The ports of one protocol, as sorted disjoint ranges. */
  public portsOf(protocol: Protocol): PortRange[] {
    const ranges = this.rangesOf(protocol);
    const result: PortRange[] = [];
    for (let i = 0; i < ranges.length; i += 2) result.push({ first: ranges[i], last: ranges[i + 1] });
    return result;
  }

  /** Whether the set holds the port of the protocol. */
  public has(protocol: Protocol, port: number): boolean {
    const ranges = this.rangesOf(protocol);
    for (let i = 0; i < ranges.length; i += 2) if (ranges[i] <= port && port <= ranges[i + 1]) return true;
    return false;
  }

  /**
   * The set as netpol-analyzer writes it: `All Connections`, `No Connections`, or each protocol that has ports as
   * `PROTOCOL ports`, in name order, comma-separated: `TCP 10053-10054,UDP 10053`.
   */
  public toString(): string {
    if (this === ConnectionSet.ALL) return 'All Connections';
    if (this === ConnectionSet.NONE) return 'No Connections';
    return PROTOCOLS.filter((p) => this.rangesOf(p).length > 0).map((p) => `${p} ${formatPorts(this.rangesOf(p))}`).join(',');
  }

  /** Each protocol's ports of this set and the other, combined by `ports`. */
  private combine(other: ConnectionSet, ports: (a: PortRanges, b: PortRanges) => PortRanges): ConnectionSet {
    return ConnectionSet.make({ TCP: ports(this.tcp, other.tcp), UDP: ports(this.udp, other.udp), SCTP: ports(this.sctp, other.sctp) });
  }

  private rangesOf(protocol: Protocol): PortRanges {
    return protocol === 'TCP' ? this.tcp : protocol === 'UDP' ? this.udp : this.sctp;
  }
}
