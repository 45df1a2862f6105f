// One pair at a time, with the reason: whether a workload, an address or a named host can connect to another, through
// every layer the manifests hold. The all-pairs list (reachability.ts) stays NetworkPolicy-only and fast; this answers
// the questions of tests and rules (`Reachability.of(app).canReach(web, db)`), on demand.
//
// Layers, all of which must let a connection through:
// 1. Policies of the pods (NetworkPolicy, and CiliumNetworkPolicy — see cilium-policies.ts): the source's egress and the
//    destination's ingress. In each direction a pod no policy isolates is open; an isolated pod allows the union of what
//    the rules of every policy selecting it admit (Kubernetes and Cilium rules add up, as Cilium enforces them), less what
//    a Cilium deny rule denies (deny wins). An address or host outside the cluster has no policy of its own.
// 2. Istio (istio-egress.ts): a REGISTRY_ONLY Sidecar over the source lets TCP out only to what its registry knows.
// Peers: a workload (pods grouped by owner, as reachability.ts reads them), an address, or a named host. A named host is
// its own kind of peer: its addresses cannot be known from the manifests, so a NetworkPolicy rule admits it only when its
// ipBlocks hold every public address (`0.0.0.0/0` except the private ranges, or every address), and a Cilium rule when it
// names it (toFQDNs) or admits `world`; a rule holding a /32 does not, whatever the name resolves to.
// Cluster DNS: when no workload of the manifests carries `k8s-app: kube-dns` in kube-system, a Deployment
// kube-system/kube-dns with that label (UDP and TCP 53) and its Service are taken to exist, as every cluster runs one.
import { AddressInterval, holdsPublicAddresses } from './address-ranges';
import { CILIUM_NAMESPACE_LABEL, CILIUM_NAMESPACE_LABELS_PREFIX, CiliumPolicy, CiliumRule, fqdnMatches, readCiliumPolicies } from './cilium-policies';
import { ConnectionSet } from './connection-set';
import { IstioEgress } from './istio-egress';
import { NamespaceLabels } from './namespace-labels';
import { PodPeer, PolicyRule, PolicyRules } from './network-policy-rules';
import { readPolicies } from './reachability';
import { readWorkloads, Workload } from './workloads';
import { selects } from '../../k8s/pod-view';
import { SelectorIndex } from '../../k8s/selector-index';

/** One end of a queried connection. */
export interface QueryPeer {
  /** How reasons name it: `shop/web[Deployment]`, `169.254.169.254`, `api.example.com[host]`. */
  readonly name: string;
  /** @default - not a workload */
  readonly workload?: Workload;
  /** One address. @default - not an address */
  readonly address?: AddressInterval;
  /** A host name, lower case. @default - not a host */
  readonly host?: string;
}

/** The answer for one pair. */
export interface PairVerdict {
  /** The connections of the query that get through (empty: none). */
  readonly allowed: ConnectionSet;
  /** Which policies admit or deny, layer by layer. */
  readonly reason: string;
}

/** The label and namespace of cluster DNS. */
export const KUBE_DNS = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } as const;
const DNS_PORTS = ConnectionSet.ports('UDP', 53).union(ConnectionSet.ports('TCP', 53));
const TCP = ConnectionSet.everyPortOf('TCP');

/** What one direction's policies allow, and why. */
interface DirectionVerdict {
  readonly allowed: ConnectionSet;
  readonly reason: string;
}

/** The manifests read once; pairs judged on demand. */
export class ConnectionQuery {
  /** A workload as a peer. */
  public static workloadPeer(workload: Workload): QueryPeer {
    return { name: `${workload.namespace}/${workload.name}[${workload.kind}]`, workload };
  }

  /** Every workload, kube-dns included (implicit when the manifests have none). */
  public readonly workloads: readonly Workload[];
  /** The cluster DNS workload. */
  public readonly clusterDns: Workload;
  /** Whether kube-dns was taken to exist (not in the manifests). */
  public readonly implicitDns: boolean;
  /** Objects left out, parts of objects not modelled, assumptions. */
  public readonly notes: readonly string[];
  /** Whether the manifests hold a CiliumNetworkPolicy the queries apply. */
  public readonly hasCiliumPolicies: boolean;
  /** The NetworkPolicies by the pods they select, with their order in the manifests (reasons list them in that order). */
  private readonly policies = new SelectorIndex<{ readonly order: number; readonly policy: PolicyRules }>();
  private readonly cilium = new SelectorIndex<{ readonly order: number; readonly policy: CiliumPolicy }>();
  private readonly namespaces: NamespaceLabels;
  /** The Istio layer, when the manifests hold a Sidecar (without one, no sidecar restricts anything). */
  private readonly istio: IstioEgress | undefined;
  private byName: Map<string, Workload> | undefined;

  public constructor(manifests: readonly unknown[]) {
    const notes: string[] = [];
    const { workloads, warnings } = readWorkloads(manifests);
    notes.push(...warnings);
    const dns = workloads.find((w) => w.namespace === KUBE_DNS.namespace && w.labels['k8s-app'] === KUBE_DNS.labels['k8s-app']);
    this.implicitDns = dns === undefined;
    this.clusterDns = dns ?? {
      namespace: KUBE_DNS.namespace,
      name: 'kube-dns',
      kind: 'Deployment',
      labels: { ...KUBE_DNS.labels },
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
    };
    this.workloads = dns ? workloads : [...workloads, this.clusterDns];
    readPolicies(manifests, notes).forEach((policy, order) => this.policies.add(policy.namespace, policy.podSelector, { order, policy }));
    const cilium = readCiliumPolicies(manifests, notes);
    cilium.forEach((policy, order) => this.cilium.add(policy.namespace, policy.endpointSelector, { order, policy }));
    this.hasCiliumPolicies = cilium.length > 0;
    this.namespaces = new NamespaceLabels(manifests);
    const dnsService = { name: 'kube-dns', namespace: KUBE_DNS.namespace, selector: { ...KUBE_DNS.labels }, ports: DNS_PORTS };
    const sidecars = manifests.some((m) => (m as any)?.kind === 'Sidecar');
    this.istio = sidecars ? new IstioEgress(manifests, this.implicitDns ? [dnsService] : []) : undefined;
    this.notes = notes;
  }

  /** The workload of that name (`namespace/name[Kind]`, as workloadNameOf gives it), if the manifests hold it. */
  public workloadNamed(name: string): Workload | undefined {
    if (!this.byName) this.byName = new Map(this.workloads.map((w) => [ConnectionQuery.workloadPeer(w).name, w]));
    return this.byName.get(name);
  }

  /** The workloads of a namespace whose pods a Service's selector (a map of labels) selects. */
  public workloadsSelectedBy(namespace: string, selector: { readonly [key: string]: string }): Workload[] {
    return this.workloads.filter((w) => w.namespace === namespace && selects({ matchLabels: selector }, w.labels as any));
  }

  /**
   * The connections of `wanted` that get from one peer to the other, with the reason (worded when it is first read: the
   * rules that judge every workload read it only for a finding).
   */
  public judge(from: QueryPeer, to: QueryPeer, wanted: ConnectionSet): PairVerdict {
    const layers: DirectionVerdict[] = [];
    if (from.workload) layers.push(this.direction('egress', from.workload, to, wanted));
    if (to.workload && !layers.some((l) => l.allowed.isEmpty)) layers.push(this.direction('ingress', to.workload, from, wanted));
    // The sidecar captures TCP only: a query without TCP does not meet it.
    if (this.istio && from.workload && !layers.some((l) => l.allowed.isEmpty) && !wanted.intersect(TCP).isEmpty) {
      const istio = this.istio.judge(from.workload, to);
      if (istio) layers.push({ allowed: istio.allowed, reason: istio.reason });
    }
    if (!from.workload && !to.workload) {
      return { allowed: ConnectionSet.NONE, reason: `${from.name} and ${to.name} are both outside the cluster: nothing in the manifests connects them` };
    }
    let allowed = wanted;
    for (const layer of layers) allowed = allowed.intersect(layer.allowed);
    const result = allowed;
    return {
      allowed: result,
      get reason() {
        if (result.isEmpty) {
          const denied = layers.find((l) => l.allowed.intersect(wanted).isEmpty);
          const why = denied?.reason ?? layers.map((l) => l.reason).join('; ');
          return `${from.name} cannot reach ${to.name} on ${describe(wanted)}: ${why}`;
        }
        return `${from.name} reaches ${to.name} on ${result.toString()}: ${layers.map((l) => l.reason).join('; ')}`;
      },
    };
  }

  /** What the policies selecting a pod allow in one direction towards (or from) a peer, limited to `wanted` (reason worded on demand). */
  private direction(direction: 'egress' | 'ingress', pod: Workload, peer: QueryPeer, wanted: ConnectionSet): DirectionVerdict {
    // Names of the policies and rules, kept as parts: they are worded only when the reason is read.
    const isolating: string[] = [];
    const admitted: Array<[string, number]> = [];
    let allows = ConnectionSet.NONE;
    for (const { policy } of byOrder(this.policies.matching(pod.namespace, pod.labels as any))) {
      if (!policy[direction]) continue;
      const name = `NetworkPolicy ${policy.id}`;
      isolating.push(name);
      (direction === 'egress' ? policy.egressRules : policy.ingressRules).forEach((rule, i) => {
        const ports = this.networkPolicyAdmits(rule, policy.namespace, peer, direction === 'egress' ? peer.workload : pod);
        if (ports.isEmpty) return;
        allows = allows.union(ports);
        if (!ports.intersect(wanted).isEmpty) admitted.push([name, i]);
      });
    }
    let denies = ConnectionSet.NONE;
    const denying: Array<[string, number]> = [];
    const cilium = this.hasCiliumPolicies ? byOrder(this.cilium.matching(pod.namespace, this.endpointLabels(pod))) : [];
    for (const { policy } of cilium) {
      if (direction === 'egress' ? policy.egressDefaultDeny : policy.ingressDefaultDeny) isolating.push(policy.name);
      (direction === 'egress' ? policy.egress : policy.ingress).forEach((rule, i) => {
        const ports = this.ciliumAdmits(rule, peer);
        if (ports.isEmpty) return;
        allows = allows.union(ports);
        if (!ports.intersect(wanted).isEmpty) admitted.push([policy.name, i]);
      });
      (direction === 'egress' ? policy.egressDeny : policy.ingressDeny).forEach((rule, i) => {
        const ports = this.ciliumAdmits(rule, peer);
        if (ports.isEmpty) return;
        denies = denies.union(ports);
        if (!ports.intersect(wanted).isEmpty) denying.push([policy.name, i]);
      });
    }
    const open = isolating.length === 0;
    const allowed = (open ? ConnectionSet.ALL : allows).subtract(denies);
    return {
      allowed,
      get reason() {
        const side = `${direction} of ${ConnectionQuery.workloadPeer(pod).name}`;
        const towards = direction === 'egress' ? `to ${peer.name}` : `from ${peer.name}`;
        const rules = (list: Array<[string, number]>, kind: string) => list.map(([name, i]) => `${name} ${kind} rule ${i}`).join(', ');
        if (allowed.intersect(wanted).isEmpty) {
          if (denying.length > 0 && !(open ? ConnectionSet.ALL : allows).intersect(wanted).isEmpty) {
            return `denied by ${side} (${rules(denying, `${direction}Deny`)}; deny wins) ${towards}`;
          }
          return `denied by ${side} (${isolating.join(', ')}): no rule admits ${describe(wanted)} ${towards}`;
        }
        const by = open ? `not isolated (no policy selects it for ${direction === 'egress' ? 'Egress' : 'Ingress'})` : `admitted by ${rules(admitted, direction)}`;
        return `${side} ${by}${denying.length > 0 ? ` (less ${rules(denying, `${direction}Deny`)})` : ''}`;
      },
    };
  }

  /** The ports a NetworkPolicy rule admits to or from a peer (named ports resolved on `destination`, a workload). */
  private networkPolicyAdmits(rule: PolicyRule, policyNamespace: string, peer: QueryPeer, destination: Workload | undefined): ConnectionSet {
    let ports = rule.ports.numbered;
    if (rule.ports.named.length > 0 && destination) {
      for (const { name, protocol } of rule.ports.named) {
        const port = destination.ports.find((p) => p.name === name && p.protocol === protocol);
        if (port) ports = ports.union(ConnectionSet.ports(protocol, port.port));
      }
    }
    if (rule.everyPeer) return ports;
    if (peer.workload) {
      const w = peer.workload;
      const inNamespace = (p: PodPeer) => (p.namespaceSelector === undefined
        ? w.namespace === policyNamespace : selects(p.namespaceSelector, this.namespaces.of(w.namespace) as any));
      const admits = rule.podPeers.some((p) => inNamespace(p) && (p.podSelector === undefined || selects(p.podSelector, w.labels as any)));
      return admits ? ports : ConnectionSet.NONE;
    }
    if (peer.address) return rule.ipBlocks.some((b) => holds(b, peer.address!)) ? rule.ports.numbered : ConnectionSet.NONE;
    return rule.ipBlocks.some((b) => holdsPublicAddresses(b)) ? rule.ports.numbered : ConnectionSet.NONE;
  }

  private ciliumAdmits(rule: CiliumRule, peer: QueryPeer): ConnectionSet {
    if (rule.everyPeer) return rule.ports;
    if (peer.workload) {
      if (rule.everyPod) return rule.ports;
      const labels = this.endpointLabels(peer.workload);
      const ns = peer.workload.namespace;
      const selected = rule.endpoints.some((e) => (e.namespace === undefined || e.namespace === ns) && selects(e.selector, labels));
      return selected ? rule.ports : ConnectionSet.NONE;
    }
    if (rule.world) return rule.ports;
    if (peer.address) return rule.blocks.some((b) => holds(b, peer.address!)) ? rule.ports : ConnectionSet.NONE;
    const host = peer.host!;
    const named = rule.fqdns.some((f) => fqdnMatches(f, host)) || rule.blocks.some((b) => holdsPublicAddresses(b));
    return named ? rule.ports : ConnectionSet.NONE;
  }

  /** A pod's labels as Cilium sees them: its own, its namespace, and its namespace's labels. */
  private endpointLabels(pod: Workload): { [key: string]: string } {
    const labels: { [key: string]: string } = { ...pod.labels, [CILIUM_NAMESPACE_LABEL]: pod.namespace };
    for (const [k, v] of Object.entries(this.namespaces.of(pod.namespace))) labels[`${CILIUM_NAMESPACE_LABELS_PREFIX}${k}`] = v;
    return labels;
  }
}

/** Index matches in the order of the manifests. */
function byOrder<T extends { readonly order: number }>(matches: T[]): T[] {
  return matches.length > 1 ? matches.sort((a, b) => a.order - b.order) : matches;
}

function holds(block: readonly AddressInterval[], address: AddressInterval): boolean {
  return block.some((i) => i.version === address.version && i.first <= address.first && address.last <= i.last);
}

/** The query's connections in words: `any connection`, or `TCP 5432`. */
function describe(wanted: ConnectionSet): string {
  return wanted.isAll ? 'any port' : wanted.toString();
}
