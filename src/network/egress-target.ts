import { IPodSelector, k8s } from 'cdk8s-plus-27';
import { kubeSelector } from './peers';
import { Cidr, inputError, quote, validateCidr, validateDnsLabel, validateDnsSubdomain, validateLabels, validatePort } from '../baseline';
import { Plain } from '../baseline/plain';

/** A contiguous range of ports. */
export interface PortRange {
  /** First port. */
  readonly from: number;
  /** Last port (inclusive). */
  readonly to: number;
}

/** The ports a target is reached on. */
export interface EgressPorts {
  /**
   * TCP ports.
   * @default - none
   */
  readonly tcp?: number[];
  /**
   * UDP ports.
   * @default - none
   */
  readonly udp?: number[];
  /**
   * TCP port ranges.
   * @default - none
   */
  readonly tcpRanges?: PortRange[];
  /**
   * UDP port ranges.
   * @default - none
   */
  readonly udpRanges?: PortRange[];
}

/** Options of a CIDR target. */
export interface CidrTargetOptions {
  /**
   * Blocks inside the CIDR that stay denied.
   * @default - none
   */
  readonly except?: string[];
}

/** One protocol/port (or port range) of a target, checked. */
export interface TargetPort {
  /** TCP or UDP. */
  readonly protocol: string;
  /** The port, or first port of a range. */
  readonly port: number;
  /**
   * Last port of a range.
   * @default - a single port
   */
  readonly endPort?: number;
}

/** Kinds of egress targets. */
export enum EgressTargetKind {
  /** An IP block. */
  CIDR = 'cidr',
  /** A DNS name outside the cluster. */
  HOST = 'host',
  /** Pods, optionally in other namespaces. */
  PODS = 'pods',
  /** Every pod of namespaces. */
  NAMESPACES = 'namespaces',
}

/**
 * Something a workload may connect to: an IP block, a host name (enforced only with a mesh), pods or
 * namespaces, always with explicit ports.
 */
export class EgressTarget {
  /** An IPv4 or IPv6 block, e.g. `10.200.0.2/32` (host bits must be zero). */
  public static cidr(cidr: string, ports: EgressPorts, options: CidrTargetOptions = {}): EgressTarget {
    return new EgressTarget(EgressTargetKind.CIDR, cidr, ports, { except: options.except });
  }

  /**
   * A DNS name outside the cluster, e.g. `api.example.com`. NetworkPolicy cannot match names: this
   * target needs `EgressMode.ISTIO`.
   */
  public static host(hostname: string, ports: EgressPorts): EgressTarget {
    return new EgressTarget(EgressTargetKind.HOST, hostname, ports, {});
  }

  /** Pods chosen by a cdk8s-plus-27 pod selector (a SecureDeployment, `Pods.select(...)`, …). */
  public static pods(selector: IPodSelector, ports: EgressPorts): EgressTarget {
    return new EgressTarget(EgressTargetKind.PODS, selector.node.path, ports, { selector });
  }

  /** Every pod of the named namespace. */
  public static namespace(name: string, ports: EgressPorts): EgressTarget {
    return new EgressTarget(EgressTargetKind.NAMESPACES, name, ports, { namespaceLabels: { 'kubernetes.io/metadata.name': name } });
  }

  /** Every pod of the namespaces with these labels. */
  public static namespacesWithLabels(labels: { [key: string]: string }, ports: EgressPorts): EgressTarget {
    return new EgressTarget(EgressTargetKind.NAMESPACES, JSON.stringify(labels), ports, { namespaceLabels: labels });
  }

  private constructor(
    /** The kind of target. */
    public readonly kind: EgressTargetKind,
    /** The CIDR, host name, selector path or namespace, as given. */
    public readonly value: string,
    private readonly ports: EgressPorts,
    private readonly extra: { except?: string[]; selector?: IPodSelector; namespaceLabels?: { [key: string]: string } },
  ) {}

  /**
   * Checks the target and its ports; throws with the fix.
   * @internal
   */
  public _ports(where: string): TargetPort[] {
    const single = (protocol: string, list: number[] = []) =>
      list.map((port) => ({ protocol, port: validatePort(where, `${protocol} port of ${this.value}`, port) }));
    const ranges = (protocol: string, list: PortRange[] = []) => list.map((range) => {
      validatePort(where, `${protocol} range start of ${this.value}`, range.from);
      validatePort(where, `${protocol} range end of ${this.value}`, range.to);
      if (range.to < range.from) {
        throw inputError(where, `port range ${range.from}-${range.to} of ${this.value} ends before it starts`, `use from ≤ to (e.g. ${range.to}-${range.from})`);
      }
      return { protocol, port: range.from, endPort: range.to };
    });
    const ports = [
      ...single('TCP', this.ports.tcp), ...single('UDP', this.ports.udp),
      ...ranges('TCP', this.ports.tcpRanges), ...ranges('UDP', this.ports.udpRanges),
    ];
    if (ports.length === 0) {
      throw inputError(where, `target ${quote(this.value)} lists no port`, 'name the ports it is reached on, e.g. { tcp: [443] }');
    }
    return ports;
  }

  /**
   * The checked CIDR block (CIDR targets).
   * @internal
   */
  public _cidr(where: string): { block: Cidr; except: Cidr[] } {
    const block = validateCidr(where, this.value);
    return { block, except: (this.extra.except ?? []).map((e) => validateCidr(where, e)) };
  }

  /**
   * The checked host name (host targets).
   * @internal
   */
  public _hostname(where: string): string {
    return validateDnsSubdomain(where, 'egress host name (RFC 1123)', this.value.toLowerCase().replace(/\.$/, ''));
  }

  /**
   * The target's ports as NetworkPolicy ports.
   * @internal
   */
  public _kubePorts(where: string): Plain<k8s.NetworkPolicyPort>[] {
    return this._ports(where).map((p) => ({ protocol: p.protocol, port: p.port, endPort: p.endPort }));
  }

  /**
   * The NetworkPolicy egress rule of the target (all kinds but host).
   * @internal
   */
  public _rule(where: string): Plain<k8s.NetworkPolicyEgressRule> {
    return { to: this._peer(where), ports: this._kubePorts(where) };
  }

  /**
   * The NetworkPolicy peer of the target (all kinds but host).
   * @internal
   */
  public _peer(where: string): Plain<k8s.NetworkPolicyPeer>[] {
    switch (this.kind) {
      case EgressTargetKind.CIDR: {
        const { block, except } = this._cidr(where);
        return [{ ipBlock: { cidr: block.text, except: except.length ? except.map((e) => e.text) : undefined } }];
      }
      case EgressTargetKind.PODS: {
        const config = this.extra.selector!.toPodSelectorConfig();
        const podSelector = kubeSelector(config.labelSelector);
        const names = config.namespaces?.names ?? [];
        return names.length
          ? names.map((name) => ({ podSelector, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } }))
          : [{ podSelector }];
      }
      case EgressTargetKind.NAMESPACES: {
        const labels = this.extra.namespaceLabels!;
        if (labels['kubernetes.io/metadata.name']) validateDnsLabel(where, 'egress namespace', labels['kubernetes.io/metadata.name']);
        return [{ namespaceSelector: { matchLabels: validateLabels(where, labels) } }];
      }
      default:
        throw inputError(
          where,
          `egress target ${quote(this.value)} is a host name, and a Kubernetes NetworkPolicy can only match IP blocks, pods and namespaces`,
          'use mode: EgressMode.ISTIO (a ServiceEntry and a REGISTRY_ONLY Sidecar enforce host names), or list the host\'s addresses with EgressTarget.cidr',
        );
    }
  }
}
