import { IPodSelector, k8s, PodSelectorConfig } from 'cdk8s-plus-27';
import { refuseDeniedOverlap } from './cilium-deny';
import { MeshTarget, NON_PUBLIC_BLOCKS, openPeerReasons, podSelectorPeers, publicAddresses } from './peers';
import { inputError, quote } from '../../core/errors';
import { NAMESPACE_NAME_LABEL, namespaceNamed } from '../../core/labels';
import { validateDnsLabel, validateLabels } from '../../core/names';
import { Plain } from '../../core/plain';
import { checkInstance, checkList, checkPropsObject, checkString, checkStringMap, PropKeys } from '../../core/prop-checks';
import { CLOUD_METADATA_ADDRESSES, cloudMetadataAddress, validateIpBlock } from '../../k8s/addresses';
import { Cidr, parseIp } from '../../k8s/cidr';
import { CiliumEgressRule } from '../../k8s/custom-resources/cilium';
import { validateHostPattern } from '../../k8s/host-patterns';
import { validateExternalHostname } from '../../k8s/hostnames';
import { validatePort } from '../../k8s/ports';
import { checkAcknowledgement } from '../../policy/acknowledgement';

/** A contiguous range of ports. */
export interface PortRange {
  /** First port. */
  readonly first: number;
  /** Last port (inclusive). */
  readonly last: number;
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
   * Blocks inside the CIDR that stay denied: of the CIDR's family, inside it, and not the CIDR itself. A CIDR
   * that holds a cloud metadata or credential address (CLOUD_METADATA_ADDRESSES: 169.254.169.254, 169.254.170.2,
   * 169.254.170.23, 100.100.100.200, fd00:ec2::254, fd00:ec2::23, fd20:ce::254, fe80::a9fe:a9fe, or the NAT64
   * form of an IPv4 one, e.g. 64:ff9b::a9fe:a9fe) must list it here.
   * @default - none
   */
  readonly exceptCidrs?: string[];
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

type TargetKind = 'cidr' | 'metadata' | 'host' | 'hostPattern' | 'pods' | 'namespace' | 'namespaceLabels';

const EGRESS_PORTS: PropKeys<EgressPorts> = { tcp: true, udp: true, tcpRanges: true, udpRanges: true };
const PORT_KEYS = Object.keys(EGRESS_PORTS);
/** PortRange keys renamed (Python cannot spell `from`), with their new names: old callers get an error naming them. */
const RANGE_RENAMED: { [key: string]: string } = { from: 'first', to: 'last' };
const EXCEPT_KEY = 'exceptCidrs';
const CIDR_TARGET_OPTIONS: PropKeys<CidrTargetOptions> = { exceptCidrs: true };
const METADATA_RULE = 'NSA-METADATA-EGRESS';

function typeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Something a workload may connect to: an IP block, a host name (enforced only with a mesh), pods or
 * namespaces, always with explicit ports.
 *
 * Nothing here means "everybody": an empty label map, an empty selector over every namespace, a block over a
 * whole address family that does not except the internal ranges, and a block holding a cloud metadata address
 * are refused when the target is used (the error names the construct that uses it).
 */
export class EgressTarget {
  /**
   * An IPv4 or IPv6 block, e.g. `10.200.0.2/32` (host bits must be zero). A block holding a cloud metadata or
   * credential address (`0.0.0.0/0`, `169.254.0.0/16`, `100.64.0.0/10`, `fd00::/8`, `fe80::/10`, `::/0`, …)
   * must list it in `exceptCidrs`. Blocks of an allowlist that together cover a whole address family (`0.0.0.0/1`
   * and `128.0.0.0/1`) must except the internal ranges between them. In `EgressMode.CILIUM` a block must also
   * except the link-local, loopback and metadata blocks it holds (`169.254.0.0/16`, `127.0.0.0/8`, …: the
   * allowlist denies them), and one inside them is refused.
   */
  public static cidr(cidr: string, ports: EgressPorts, options: CidrTargetOptions = {}): EgressTarget {
    return new EgressTarget('cidr', cidr, ports, options);
  }

  /**
   * A cloud metadata service or credential endpoint (one of CLOUD_METADATA_ADDRESSES: 169.254.169.254,
   * fd00:ec2::254, 100.100.100.200, the ECS task credentials endpoint 169.254.170.2, the EKS Pod Identity agent
   * 169.254.170.23 / fd00:ec2::23, fe80::a9fe:a9fe, fd20:ce::254), on TCP 80, the only port they serve. It hands
   * cloud credentials to whoever asks: name it only for a workload that must read them, with the reason (at
   * least 10 characters). The policy engine still reports
   * NSA-METADATA-EGRESS for the workload: acknowledge it there with the same reason.
   */
  public static cloudMetadata(address: string, reason: string): EgressTarget {
    return new EgressTarget('metadata', address, { tcp: [80] }, { reason });
  }

  /**
   * A DNS name outside the cluster, e.g. `api.example.com` (lower-cased, one trailing dot dropped). NetworkPolicy
   * cannot match names: this target needs `EgressMode.ISTIO` or `EgressMode.CILIUM`. Wildcards, `localhost`, metadata names
   * (`metadata.google.internal`), the API server (`kubernetes.default.svc`), in-cluster names and numeric names
   * are refused.
   */
  public static host(hostname: string, ports: EgressPorts): EgressTarget {
    return new EgressTarget('host', hostname, ports);
  }

  /**
   * Every host one label below a domain, e.g. `*.api.example.com`: the opt-in for wildcards, with
   * `EgressMode.CILIUM` only (Cilium's `toFQDNs.matchPattern`; a DNS-resolved Istio ServiceEntry cannot resolve
   * a wildcard). The pattern is `*.` and a fixed domain with at least one label below its public suffix (Public
   * Suffix List, ICANN and private sections). Refused: `*` alone, a `*` elsewhere (`metadata.*`, `*internal`),
   * a wildcard right over a public suffix (`*.com`, `*.co.uk`, `*.github.io`, `*.s3.amazonaws.com`), a domain
   * under which `EgressTarget.host` refuses a name (`*.google.internal` holds `metadata.google.internal`), and
   * domains under `.internal`, `.local`, `.arpa`, `.svc`, `cluster.local` or a top-level domain the list does not know.
   */
  public static hostPattern(pattern: string, ports: EgressPorts): EgressTarget {
    return new EgressTarget('hostPattern', pattern, ports);
  }

  /**
   * Pods chosen by a cdk8s-plus-27 pod selector (a SecureDeployment, `Pods.select(...)`, …), in the
   * workload's namespace or the namespaces the selector names. A selector over every namespace
   * (`Namespaces.all()`) is refused, with labels too: any tenant can label a pod `app: db`.
   */
  public static pods(selector: IPodSelector, ports: EgressPorts): EgressTarget {
    return new EgressTarget('pods', selector, ports);
  }

  /** Every pod of the named namespace. */
  public static namespace(name: string, ports: EgressPorts): EgressTarget {
    return new EgressTarget('namespace', name, ports);
  }

  /** Every pod of the namespaces with these labels (at least one: `{}` would be every namespace). */
  public static namespacesWithLabels(labels: { [key: string]: string }, ports: EgressPorts): EgressTarget {
    return new EgressTarget('namespaceLabels', labels, ports);
  }

  /** The CIDR, host name, selector path, namespace or labels, as given (for messages). */
  public readonly value: string;

  private constructor(
    private readonly kind: TargetKind,
    private readonly input: unknown,
    private readonly ports: unknown,
    private readonly options: { readonly exceptCidrs?: unknown; readonly reason?: unknown } | unknown = {},
  ) {
    const path = (input as { node?: { path?: unknown } } | undefined)?.node?.path;
    this.value = typeof input === 'string' ? input : typeof path === 'string' ? path : quote(input);
  }

  /**
   * Checks the target's ports; throws with the fix.
   * @internal
   */
  public _ports(where: string): TargetPort[] {
    const ports = this.ports;
    if (ports === null || typeof ports !== 'object' || Array.isArray(ports)) {
      throw inputError(where, `the ports of target ${quote(this.value)} are ${typeName(ports)}, not an object`, 'pass the ports as an object, e.g. { tcp: [443] }');
    }
    const unknown = Object.keys(ports).find((key) => !PORT_KEYS.includes(key));
    if (unknown !== undefined) {
      throw inputError(where, `the ports of target ${quote(this.value)} have the unknown key ${quote(unknown)}`, `use ${PORT_KEYS.join(', ')}, e.g. { tcp: [443] }`);
    }
    const given = ports as { [key: string]: unknown };
    const list = (key: string) => (given[key] === undefined ? [] : checkList<unknown>(where, `${key} of target ${quote(this.value)}`, given[key]));
    const single = (protocol: string, key: string) =>
      list(key).map((port) => ({ protocol, port: validatePort(where, `${protocol} port of ${this.value}`, port as number) }));
    const ranges = (protocol: string, key: string) => list(key).map((item) => {
      if (item === null || typeof item !== 'object') {
        throw inputError(where, `a ${key} entry of target ${quote(this.value)} is ${typeName(item)}, not a range`, 'write ranges as { first: 30000, last: 30100 }');
      }
      const renamed = Object.keys(RANGE_RENAMED).find((old) => old in item);
      if (renamed !== undefined) {
        throw inputError(where, `a ${key} entry of target ${quote(this.value)} has the key ${quote(renamed)}, which is now ${quote(RANGE_RENAMED[renamed])}`,
          'write ranges as { first: 30000, last: 30100 }');
      }
      const range = item as PortRange;
      validatePort(where, `${protocol} range start of ${this.value}`, range.first);
      validatePort(where, `${protocol} range end of ${this.value}`, range.last);
      if (range.last < range.first) {
        throw inputError(where, `port range ${range.first}-${range.last} of ${this.value} ends before it starts`, `use first ≤ last (e.g. ${range.last}-${range.first})`);
      }
      return { protocol, port: range.first, endPort: range.last };
    });
    const checked = [
      ...single('TCP', 'tcp'), ...single('UDP', 'udp'),
      ...ranges('TCP', 'tcpRanges'), ...ranges('UDP', 'udpRanges'),
    ];
    if (checked.length === 0) {
      throw inputError(where, `target ${quote(this.value)} lists no port`, 'name the ports it is reached on, e.g. { tcp: [443] }');
    }
    return checked;
  }

  /**
   * The checked host name (host targets), canonical.
   * @internal
   */
  public _hostname(where: string): string {
    const hostname = checkString(where, 'egress host name', this.input);
    if (hostname.includes('*')) {
      throw inputError(where, `egress host ${quote(hostname)} is a wildcard, and EgressTarget.host names one host (a wildcard would name a set of hosts, `
        + 'up to every host, which re-opens all egress)', 'list each host the workload connects to, e.g. EgressTarget.host("api.example.com", { tcp: [443] })');
    }
    return validateExternalHostname(where, 'egress host name (RFC 1123)', hostname);
  }

  /**
   * The Cilium egress rule of an external target (host, host pattern, CIDR, metadata); undefined for in-cluster
   * targets, which stay in the NetworkPolicy.
   * @internal
   */
  public _cilium(where: string): CiliumEgressRule | undefined {
    const toPorts = [{ ports: this._ports(where).map((p) => ({ port: String(p.port), endPort: p.endPort, protocol: p.protocol })) }];
    switch (this.kind) {
      case 'host': return { toFQDNs: [{ matchName: this._hostname(where) }], toPorts };
      case 'hostPattern': return { toFQDNs: [{ matchPattern: validateHostPattern(where, this.input as string) }], toPorts };
      case 'cidr':
      case 'metadata': {
        // Judged against the deny layer first: its fix (except the denied blocks) also excepts the metadata addresses.
        if (this.kind === 'cidr') refuseDeniedOverlap(where, this.value, this.block(where, false));
        const block = this._rule(where).to![0].ipBlock!;
        return { toCIDRSet: [{ cidr: block.cidr, except: block.except }], toPorts };
      }
      default: return undefined;
    }
  }

  /**
   * The NetworkPolicy ports of the target.
   * @internal
   */
  public _kubePorts(where: string): Plain<k8s.NetworkPolicyPort>[] {
    return this._ports(where).map((p) => ({ protocol: p.protocol, port: p.port, endPort: p.endPort }));
  }

  /**
   * The NetworkPolicy egress rule of the target (all kinds but host), refused when it would admit everyone.
   * @internal
   */
  public _rule(where: string): Plain<k8s.NetworkPolicyEgressRule> {
    const to = this._peer(where);
    const open = openPeerReasons(to, 'egress');
    if (open.length > 0) {
      throw inputError(where, `egress target ${quote(this.value)}: ${open[0]}`, this.kind === 'cidr'
        ? `allow narrower blocks, or except the internal ranges of its family to mean "public addresses only": EgressTarget.cidr(${quote(this.value)}, ports, `
          + `{ exceptCidrs: ${JSON.stringify(NON_PUBLIC_BLOCKS[this.value.includes(':') ? 6 : 4])} })`
        : 'name the namespaces or label the pods the workload connects to');
    }
    // Labels are no boundary across namespaces: any tenant can label a pod `app: db` in a namespace of its own.
    const everyNamespace = to.find((peer) => peer.namespaceSelector && openPeerReasons([{ namespaceSelector: peer.namespaceSelector }], 'egress').length > 0);
    if (this.kind === 'pods' && everyNamespace) {
      throw inputError(
        where,
        `egress target ${quote(this.value)} selects pods by labels in every namespace (namespaceSelector ${JSON.stringify(everyNamespace.namespaceSelector)}), `
          + 'and any tenant can give a pod of its own namespace those labels',
        'name the namespaces: Pods.select(scope, id, { labels, namespaces: Namespaces.select(scope, id, { names: ["db"] }) })',
      );
    }
    return { to, ports: this._kubePorts(where) };
  }

  /**
   * What the mesh needs of the target (Istio mode).
   * @internal
   */
  public _mesh(where: string): MeshTarget {
    if (this.kind === 'hostPattern') {
      throw inputError(where, `egress host pattern ${quote(this.value)} needs EgressMode.CILIUM`,
        'a DNS-resolved Istio ServiceEntry cannot resolve a wildcard: list each host with EgressTarget.host, or use mode: EgressMode.CILIUM');
    }
    if (this.kind === 'host') {
      return { rule: { to: publicAddresses(), ports: this._kubePorts(where) }, host: this._hostname(where), namespaces: [] };
    }
    const rule = this._rule(where);
    if (this.kind === 'cidr' || this.kind === 'metadata') {
      return { rule, block: this.block(where).cidr, namespaces: [] };
    }
    const namespaces = (rule.to ?? []).map((peer) => peer.namespaceSelector?.matchLabels?.[NAMESPACE_NAME_LABEL]).filter((ns): ns is string => !!ns);
    return { rule, namespaces };
  }

  /**
   * The NetworkPolicy peers of the target (all kinds but host).
   * @internal
   */
  public _peer(where: string): Plain<k8s.NetworkPolicyPeer>[] {
    switch (this.kind) {
      case 'cidr':
      case 'metadata': {
        const { cidr, except } = this.block(where);
        return [{ ipBlock: { cidr: cidr.text, except: except.length ? except.map((e) => e.text) : undefined } }];
      }
      case 'pods': {
        const selector = checkInstance<IPodSelector>(where, 'the selector of EgressTarget.pods', this.input, 'toPodSelectorConfig()',
          'a pod selector (a SecureDeployment, Pods.select(...))');
        return podSelectorPeers(selector.toPodSelectorConfig() as PodSelectorConfig);
      }
      case 'namespace': {
        const name = validateDnsLabel(where, 'egress namespace', checkString(where, 'egress namespace', this.input));
        return [{ namespaceSelector: namespaceNamed(name) }];
      }
      case 'namespaceLabels': {
        const labels = checkStringMap(where, 'the labels of EgressTarget.namespacesWithLabels', this.input);
        if (Object.keys(labels).length === 0) {
          throw inputError(where, 'EgressTarget.namespacesWithLabels({}) has no label, and an empty namespace selector selects every namespace',
            'name the labels of the namespaces (e.g. { team: "payments" }), or use EgressTarget.namespace(name)');
        }
        if (labels[NAMESPACE_NAME_LABEL] !== undefined) validateDnsLabel(where, 'egress namespace', labels[NAMESPACE_NAME_LABEL]);
        return [{ namespaceSelector: { matchLabels: validateLabels(where, { ...labels }) } }];
      }
      default:
        throw inputError(
          where,
          `egress target ${quote(this.value)} is a host name, and a Kubernetes NetworkPolicy can only match IP blocks, pods and namespaces`,
          'use mode: EgressMode.ISTIO (a ServiceEntry and a REGISTRY_ONLY Sidecar enforce host names) or EgressMode.CILIUM (toFQDNs), '
            + 'or list the host\'s addresses with EgressTarget.cidr',
        );
    }
  }

  /**
   * The checked block (CIDR and metadata targets); a CIDR target holding a metadata address is refused unless
   * `judgeMetadata` is false.
   */
  private block(where: string, judgeMetadata: boolean = true): { cidr: Cidr; except: Cidr[] } {
    const options = this.options;
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw inputError(where, `the options of EgressTarget.cidr(${quote(this.value)}) are ${typeName(options)}, not an object`, `pass options as an object, e.g. { ${EXCEPT_KEY}: ["10.0.5.0/24"] }`);
    }
    if ('except' in options) {
      throw inputError(where, `the options of EgressTarget.cidr(${quote(this.value)}) have the key "except", which is now "${EXCEPT_KEY}"`,
        `pass the blocks as { ${EXCEPT_KEY}: [...] }`);
    }
    const { exceptCidrs, reason } = options as { exceptCidrs?: unknown; reason?: unknown };
    if (this.kind === 'cidr') {
      checkPropsObject(where, options as CidrTargetOptions, CIDR_TARGET_OPTIONS, `the options of EgressTarget.cidr(${quote(this.value)})`);
      const cidr = checkString(where, 'egress target CIDR', this.input);
      return validateIpBlock(where, cidr, exceptCidrs as string[] | undefined, { what: 'egress target CIDR', allowCloudMetadata: !judgeMetadata, exceptKey: EXCEPT_KEY });
    }
    const text = checkString(where, 'the address of EgressTarget.cloudMetadata', this.input);
    const ip = parseIp(text);
    const metadata = ip ? cloudMetadataAddress(ip) : undefined;
    if (!metadata) {
      throw inputError(where, `EgressTarget.cloudMetadata(${quote(text)}) names no cloud metadata address (${CLOUD_METADATA_ADDRESSES.join(', ')})`,
        'pass one of them, or use EgressTarget.cidr for any other address');
    }
    checkAcknowledgement(`${where}: EgressTarget.cloudMetadata(${quote(text)})`, METADATA_RULE, reason as string);
    return validateIpBlock(where, `${metadata}/${metadata.includes(':') ? 128 : 32}`, undefined, { what: 'cloud metadata target', allowCloudMetadata: true });
  }
}
