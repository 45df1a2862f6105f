import { ApiObject } from 'cdk8s';
import { IPodSelector, k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ciliumEgressDeny } from './cilium-deny';
import { EgressTarget } from './egress-target';
import { kubeSelector, MeshTarget, NON_PUBLIC_BLOCKS, openEgressReasons } from './peers';
import { inputError, quote } from '../../core/errors';
import { namespaceNamed, recommendedLabels } from '../../core/labels';
import { suggestDnsLabel, validateDnsLabel } from '../../core/names';
import { Plain } from '../../core/plain';
import { checkInstance, checkList, checkOptionalString, PropKeys } from '../../core/prop-checks';
import { Cidr, parseCidrRange } from '../../k8s/cidr';
import { CiliumEgressRule } from '../../k8s/custom-resources/cilium';
import { kube } from '../../k8s/objects';
import { derivedName } from '../base/derived-name';
import { HardenedConstruct } from '../base/hardened-construct';

/** How egress is enforced. */
export enum EgressMode {
  /**
   * Kubernetes NetworkPolicy only: IP blocks, pods and namespaces, but no host names (they are refused).
   */
  KUBERNETES = 'kubernetes',
  /**
   * Istio: a ServiceEntry per external host or IP block and a Sidecar with `outboundTrafficPolicy:
   * REGISTRY_ONLY` (unlisted hosts are blocked by the proxy), plus the NetworkPolicy as a second layer.
   */
  ISTIO = 'istio',
  /**
   * Cilium: a CiliumNetworkPolicy with `toFQDNs` for host targets (and host patterns, the opt-in for wildcards),
   * `toCIDRSet` for IP blocks, ports per target, and the DNS rule Cilium's proxy needs to see the lookups FQDN
   * policies depend on. An `egressDeny` rule keeps every name (whatever its DNS answer) and every other policy
   * away from link-local, loopback and metadata addresses, but the `EgressTarget.cloudMetadata` targets listed.
   * In-cluster targets (pods, namespaces) stay in the NetworkPolicy, which Cilium enforces too.
   */
  CILIUM = 'cilium',
}

/** Where kube-dns runs, as Cilium labels endpoints (namespace as `k8s:io.kubernetes.pod.namespace`). */
const CILIUM_KUBE_DNS = { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' };

/** Props of {@link EgressAllowlist}. */
export interface EgressAllowlistProps {
  /**
   * The workload whose pods may connect out (a SecureDeployment or any cdk8s-plus-27 pod selector with labels,
   * in one namespace).
   */
  readonly workload: IPodSelector;
  /** What the workload may connect to, with ports (at least one target). */
  readonly allow: EgressTarget[];
  /**
   * How egress is enforced.
   * @default EgressMode.KUBERNETES
   */
  readonly mode?: EgressMode;
  /**
   * Name of the objects created.
   * @default - the construct id, or its path below the chart joined with `-` when nested (`orders-web`); see README "Object names"
   */
  readonly name?: string;
}

/** Istio's control plane: the sidecar fetches its configuration from istiod on 15012. */
const ISTIOD = { namespace: 'istio-system', labels: { app: 'istiod' }, port: 15012 };

/**
 * Where the Sidecar of a workload imports the Kubernetes Services of its own namespace from: Istio names them
 * `<service>.<namespace>.svc.cluster.local` (the default mesh domain) and matches a wildcard by suffix.
 */
const IN_NAMESPACE_SERVICES = './*.svc.cluster.local';

/**
 * Cluster DNS as the Sidecar imports it: the proxy captures outbound TCP, so under REGISTRY_ONLY a DNS query over TCP
 * (a truncated answer's retry) to a kube-dns Service the Sidecar does not import would be refused (UDP is not captured).
 */
const CLUSTER_DNS_SERVICE = 'kube-system/kube-dns.kube-system.svc.cluster.local';

const EGRESS_ALLOWLIST_PROPS: PropKeys<EgressAllowlistProps> = { workload: true, allow: true, mode: true, name: true };

/**
 * Denied unless listed: egress from a workload's pods only to the listed targets and ports.
 *
 * With `EgressMode.KUBERNETES` (the default) this is a NetworkPolicy, which matches IP blocks, pods and
 * namespaces but not host names. With `EgressMode.ISTIO` a ServiceEntry per external host or block and a
 * Sidecar with `REGISTRY_ONLY` make the proxy refuse every unlisted host; the NetworkPolicy then allows
 * host targets' ports to public addresses only (it cannot see names) and the sidecar's connection to istiod.
 * The Sidecar imports only this allowlist's own ServiceEntries (not those of other allowlists in the
 * namespace), the Kubernetes Services of its namespace (`*.svc.cluster.local`: a mesh with another domain
 * blocks them), istio-system, cluster DNS (the kube-dns Service: DNS over TCP passes the proxy) and the namespaces
 * named as targets.
 *
 * Refused: an empty `allow`, a workload selecting every pod or spanning namespaces, targets that would admit
 * everyone or a cloud metadata service (see EgressTarget), targets whose blocks together cover a whole address
 * family without excepting the internal ranges, and in Istio mode: a workload selected by label expressions (a
 * Sidecar selects by labels only), a workload another Istio EgressAllowlist already covers (Istio leaves the
 * choice between two Sidecars of one pod undefined), and IP blocks that together cover a whole address family
 * (a ServiceEntry cannot except blocks, so REGISTRY_ONLY would let every address through); in Cilium mode: a CIDR
 * target inside a block the `egressDeny` rule denies, or around one without excepting it.
 */
export class EgressAllowlist extends HardenedConstruct {
  /** The NetworkPolicy. */
  public readonly networkPolicy: ApiObject;
  /** The ServiceEntries (Istio mode), networking.istio.io/v1. */
  public readonly serviceEntries: ApiObject[] = [];
  /** The Sidecar (Istio mode), networking.istio.io/v1. */
  public readonly sidecar?: ApiObject;
  /** The CiliumNetworkPolicy (Cilium mode), cilium.io/v2. */
  public readonly ciliumNetworkPolicy?: ApiObject;
  /**
   * The namespace and labels the Sidecar selects (Istio mode), to find a second Sidecar for the same pods.
   * @internal
   */
  public readonly _sidecarSelector?: { readonly namespace?: string; readonly labels: { readonly [key: string]: string } };

  public constructor(scope: Construct, id: string, props: EgressAllowlistProps) {
    super(scope, id, 'EgressAllowlist', props, Object.keys(EGRESS_ALLOWLIST_PROPS));
    const where = this.where;
    const mode = props.mode ?? EgressMode.KUBERNETES;
    if (!Object.values(EgressMode).includes(mode)) {
      throw inputError(where, `mode ${quote(mode)} is not an EgressMode`, 'use EgressMode.KUBERNETES, EgressMode.ISTIO or EgressMode.CILIUM');
    }
    const name = validateDnsLabel(where, 'name', checkOptionalString(where, 'name', props.name) ?? this.defaultName());
    const workload = checkInstance<IPodSelector>(where, 'workload', props.workload, 'toPodSelectorConfig()', 'a workload (a SecureDeployment or Pods.select(...))');
    const allow = checkList<EgressTarget>(where, 'allow', props.allow);
    if (allow.length === 0) {
      throw inputError(where, 'allow lists no target', 'list at least one EgressTarget, or leave the workload with DNS only by omitting this construct');
    }
    allow.forEach((target, i) => checkInstance(where, `allow[${i}]`, target, '_rule()', 'an EgressTarget (e.g. EgressTarget.cidr("10.0.0.0/24", { tcp: [443] }))'));

    const selectorConfig = workload.toPodSelectorConfig();
    const podSelector = kubeSelector(selectorConfig.labelSelector);
    if (selectorConfig.labelSelector.isEmpty()) {
      throw inputError(where, `workload ${workload.node.path} selects every pod of the namespace`, 'pass the workload itself, or Pods.select(...) with its labels');
    }
    const names = selectorConfig.namespaces?.names ?? [];
    const byLabels = selectorConfig.namespaces?.labelSelector && !selectorConfig.namespaces.labelSelector.isEmpty();
    if (selectorConfig.namespaces && (names.length !== 1 || byLabels)) {
      throw inputError(where, `workload ${workload.node.path} spans namespaces, and a NetworkPolicy applies in one namespace`, 'pass a workload of one namespace (one EgressAllowlist per namespace)');
    }
    const namespace = names.length === 1 ? validateDnsLabel(where, 'the namespace of the workload', names[0]) : this.objectNamespace;
    const labels = recommendedLabels(where, { name, instance: name, component: 'egress-allowlist', partOf: this.chartPartOf });
    const metadata = (objectName: string) => ({ name: objectName, namespace, labels });
    const ruleNames = allow.map((_, i) => `allow[${i}]`);

    if (mode === EgressMode.ISTIO) {
      const workloadLabels = sidecarLabels(where, workload, podSelector);
      this.refuseSecondSidecar(where, workload, namespace, workloadLabels);
      const mesh = allow.map((target) => target._mesh(where));
      refuseWholeFamily(where, allow, mesh);
      refuseOpenTogether(where, mesh.map((m) => m.rule), ruleNames);
      const egress = mesh.map((m) => m.rule);
      egress.push({
        to: [{ namespaceSelector: namespaceNamed(ISTIOD.namespace), podSelector: { matchLabels: ISTIOD.labels } }],
        ports: [{ protocol: 'TCP', port: ISTIOD.port }],
      });
      // Only this allowlist's hosts: every ServiceEntry is exported to the namespace, and `./*` would import those
      // of the other workloads' allowlists too.
      const ownHosts: string[] = [];
      const sidecarHosts = new Set([IN_NAMESPACE_SERVICES, CLUSTER_DNS_SERVICE, `${ISTIOD.namespace}/*`]);
      const entryNames = new Set<string>();
      const hosts = new Map<string, number>();
      mesh.forEach((m, i) => {
        m.namespaces.filter((ns) => ns !== namespace).forEach((ns) => sidecarHosts.add(`${ns}/*`));
        if (!m.host && !m.block) return;
        const key = m.host ?? m.block!.text;
        if (hosts.has(key)) {
          throw inputError(where, `allow[${i}] repeats ${quote(key)} of allow[${hosts.get(key)}]`, 'list each host or block once, with all its ports');
        }
        hosts.set(key, i);
        const entry = this.serviceEntry(where, name, allow[i], m, metadata, entryNames);
        this.serviceEntries.push(entry.object);
        ownHosts.push(`./${entry.host}`);
      });
      this.sidecar = kube.sidecar(this, 'Sidecar', {
        metadata: metadata(name),
        spec: {
          workloadSelector: { labels: { ...workloadLabels } },
          outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
          egress: [{ hosts: [...ownHosts, ...sidecarHosts] }],
        },
      });
      this.networkPolicy = this.policy(where, name, metadata, podSelector, egress);
      this._sidecarSelector = { namespace, labels: workloadLabels };
    } else if (mode === EgressMode.CILIUM) {
      const external = allow.map((target) => target._cilium(where));
      // Blocks and in-cluster peers are judged together as in Kubernetes mode (hosts are names, not addresses).
      const addressed = allow.map((target, i) => (external[i]?.toFQDNs ? undefined : target._rule(where)));
      refuseOpenTogether(where, addressed.filter((r): r is Plain<k8s.NetworkPolicyEgressRule> => !!r), ruleNames.filter((_, i) => !!addressed[i]));
      refuseRepeatedNames(where, external);
      const dns = {
        toEndpoints: [{ matchLabels: CILIUM_KUBE_DNS }],
        // Cilium learns the addresses of toFQDNs names from the lookups its DNS proxy sees: every lookup goes through it.
        toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }],
      };
      const allowedBlocks = external.flatMap((rule) => (rule?.toCIDRSet ?? []).map((set) => set.cidr));
      this.ciliumNetworkPolicy = kube.ciliumNetworkPolicy(this, 'CiliumNetworkPolicy', {
        metadata: metadata(name),
        spec: {
          endpointSelector: podSelector,
          egress: [dns, ...external.filter((rule): rule is CiliumEgressRule => !!rule)],
          // toFQDNs allows whatever address a DNS answer holds: no name may lead to link-local, loopback or metadata.
          egressDeny: [ciliumEgressDeny(allowedBlocks)],
        },
      });
      const inCluster = addressed.filter((rule, i) => !!rule && !external[i]) as Plain<k8s.NetworkPolicyEgressRule>[];
      this.networkPolicy = this.policy(where, name, metadata, podSelector, inCluster);
    } else {
      const egress = allow.map((target) => target._rule(where));
      refuseOpenTogether(where, egress, ruleNames);
      this.networkPolicy = this.policy(where, name, metadata, podSelector, egress);
    }
  }

  /**
   * Refuses a second Istio EgressAllowlist whose Sidecar can select the same pods: Istio's choice between two
   * Sidecars of one pod is undefined. Checked when the second is made (the first is in the tree by then).
   */
  private refuseSecondSidecar(where: string, workload: IPodSelector, namespace: string | undefined, labels: { [key: string]: string }): void {
    for (const other of this.node.root.node.findAll()) {
      if (other === this || !(other instanceof EgressAllowlist) || !other._sidecarSelector) continue;
      const theirs = other._sidecarSelector;
      // A chart without a namespace lands in whatever namespace kubectl uses: it may be the other's.
      const sameNamespace = theirs.namespace === undefined || namespace === undefined || theirs.namespace === namespace;
      const overlap = Object.keys(labels).every((key) => theirs.labels[key] === undefined || theirs.labels[key] === labels[key]);
      if (!sameNamespace || !overlap) continue;
      throw inputError(
        where,
        `Istio mode: workload ${workload.node.path} (labels ${JSON.stringify(labels)}) can be selected by the Sidecar of the Istio EgressAllowlist `
          + `${other.node.path} too (labels ${JSON.stringify(theirs.labels)}), and Istio leaves the choice between two Sidecars of one pod undefined`,
        'make one EgressAllowlist per workload in Istio mode and list all its targets in it (ExternalMongoService.egressTargets for a database)',
      );
    }
  }

  private policy(
    where: string,
    name: string,
    metadata: (objectName: string) => any,
    podSelector: Plain<k8s.LabelSelector>,
    egress: Plain<k8s.NetworkPolicyEgressRule>[],
  ): ApiObject {
    return kube.networkPolicy(this, 'NetworkPolicy', {
      metadata: metadata(derivedName(where, name, 'egress')),
      spec: { podSelector, policyTypes: ['Egress'], egress },
    });
  }

  private serviceEntry(
    where: string,
    name: string,
    target: EgressTarget,
    mesh: MeshTarget,
    metadata: (objectName: string) => any,
    used: Set<string>,
  ): { object: ApiObject; host: string } {
    const ports = target._ports(where).map((p) => {
      if (p.protocol !== 'TCP' || p.endPort !== undefined) {
        throw inputError(
          where,
          `Istio mode: ${p.protocol} ${p.endPort ? `range ${p.port}-${p.endPort}` : `port ${p.port}`} of ${quote(target.value)} cannot be listed in a ServiceEntry`,
          'list single TCP ports for hosts and IP blocks in Istio mode',
        );
      }
      const protocol = p.port === 443 ? 'TLS' : 'TCP';
      return { number: p.port, name: `${protocol.toLowerCase()}-${p.port}`, protocol };
    });
    const { host, block } = mesh;
    // Slugs of different hosts or blocks can coincide (a-b.c and a.b-c); a counter keeps the names apart.
    const slug = suggestDnsLabel(host ?? block!.text.replace(/[/:.]/g, '-')).slice(0, 40).replace(/-+$/, '');
    let suffix = slug;
    for (let n = 2; used.has(derivedName(where, name, suffix)); n++) suffix = `${slug.slice(0, 36).replace(/-+$/, '')}-${n}`;
    const entryName = derivedName(where, name, suffix);
    used.add(entryName);
    const entryHost = host ?? `${suffix}.${name}.egress.internal`;
    const object = kube.serviceEntry(this, `ServiceEntry-${entryName}`, {
      metadata: metadata(entryName),
      spec: {
        hosts: [entryHost],
        addresses: block ? [block.text] : undefined,
        location: 'MESH_EXTERNAL',
        resolution: host ? 'DNS' : 'NONE',
        ports,
        exportTo: ['.'],
      },
    });
    return { object, host: entryHost };
  }
}

/**
 * The labels the Sidecar selects the workload by. A Sidecar's workloadSelector takes labels only: a workload
 * selected by expressions would get a Sidecar for other pods too (`{}`: every pod of the namespace).
 */
function sidecarLabels(where: string, workload: IPodSelector, podSelector: Plain<k8s.LabelSelector>): { [key: string]: string } {
  const labels = podSelector.matchLabels ?? {};
  if ((podSelector.matchExpressions ?? []).length > 0 || Object.keys(labels).length === 0) {
    const reach = Object.keys(labels).length === 0 ? 'every pod of the namespace' : 'pods its expressions exclude';
    throw inputError(
      where,
      `Istio mode: workload ${workload.node.path} is selected by label expressions, and a Sidecar's workloadSelector takes labels only: it would apply to ${reach}`,
      'select the workload by labels: pass the workload itself, or Pods.select(scope, id, { labels })',
    );
  }
  return labels;
}

/** Cilium mode: each host, pattern and block once (with all its ports), as in Istio mode. */
function refuseRepeatedNames(where: string, rules: Array<CiliumEgressRule | undefined>): void {
  const seen = new Map<string, number>();
  rules.forEach((rule, i) => {
    const key = rule?.toFQDNs?.[0].matchName ?? rule?.toFQDNs?.[0].matchPattern ?? rule?.toCIDRSet?.[0].cidr;
    if (key === undefined) return;
    if (seen.has(key)) throw inputError(where, `allow[${i}] repeats ${quote(key)} of allow[${seen.get(key)}]`, 'list each host or block once, with all its ports');
    seen.set(key, i);
  });
}

/** Refuses targets that are narrow alone but together reach every destination (`0.0.0.0/1` and `128.0.0.0/1`). */
function refuseOpenTogether(where: string, rules: Plain<k8s.NetworkPolicyEgressRule>[], ruleNames: string[]): void {
  const open = openEgressReasons(rules, ruleNames);
  if (open.length > 0) {
    throw inputError(
      where,
      `the targets together: ${open.join('; ')}`,
      `allow narrower blocks, or except from each block that reaches public addresses the internal ranges of its family (IPv4: ${NON_PUBLIC_BLOCKS[4].join(', ')}; `
        + `IPv6: ${NON_PUBLIC_BLOCKS[6].join(', ')})`,
    );
  }
}

/**
 * In Istio mode the ServiceEntries list the blocks without their except lists: blocks that together cover a
 * whole address family would let the proxy pass every address on their ports (REGISTRY_ONLY defeated).
 */
function refuseWholeFamily(where: string, allow: EgressTarget[], mesh: MeshTarget[]): void {
  for (const version of [4, 6]) {
    const blocks = mesh.map((m, i) => ({ i, block: m.block })).filter((b): b is { i: number; block: Cidr } => b.block?.version === version);
    const ranges = blocks.map((b) => parseCidrRange(b.block.text)!).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    let next = 0n;
    for (const range of ranges) {
      if (range.first > next) break;
      if (range.last + 1n > next) next = range.last + 1n;
    }
    if (ranges.length > 0 && next === 2n ** BigInt(version === 4 ? 32 : 128)) {
      const which = blocks.map((b) => `allow[${b.i}] ${quote(allow[b.i].value)}`).join(', ');
      throw inputError(
        where,
        `Istio mode: ${which} cover${blocks.length === 1 ? 's' : ''} every IPv${version} address, and a ServiceEntry lists blocks without their except, so the proxy would pass every address`,
        'list the hosts with EgressTarget.host, or narrower blocks',
      );
    }
  }
}
