// Who can connect to whom under the NetworkPolicies of a set of manifests, as netpol-analyzer's `list` computes it.
import { AddressInterval, AddressPartition, formatAddress, formatInterval } from './address-ranges';
import { AllowedPeers, egressAllowed, ingressAllowed, ResolvedPolicy, resolvePolicy } from './allowed-peers';
import { ConnectionSet } from './connection-set';
import { NamespaceLabels } from './namespace-labels';
import { PolicyRules, readPolicyRules } from './network-policy-rules';
import { PeerClasses } from './peer-classes';
import { namespaceOf, readWorkloads, Workload } from './workloads';
import { SelectorIndex } from '../../k8s/selector-index';

/** A range of addresses outside the cluster, judged as one peer. */
export interface ExternalRange extends AddressInterval {
  /** The first address as text. */
  readonly firstAddress: string;
  /** The last address as text. */
  readonly lastAddress: string;
}

/** One end of a connection: a workload (`namespace/name[Kind]`) or an address range (`first-last[External]`). */
export interface ReachabilityPeer {
  /** How netpol-analyzer names it: `shop/web[Deployment]`, `0.0.0.0-255.255.255.255[External]`. */
  readonly name: string;
  /**
   * The workload.
   * @default - none: an address range
   */
  readonly workload?: Workload;
  /**
   * The address range.
   * @default - none: a workload
   */
  readonly external?: ExternalRange;
}

/** The connections allowed from one peer to another (never empty). */
export interface PeerConnection {
  /** The source. */
  readonly source: ReachabilityPeer;
  /** The destination. */
  readonly destination: ReachabilityPeer;
  /** The protocols and ports allowed. */
  readonly connections: ConnectionSet;
}

/** The allowed connections between the workloads of a set of manifests and the address ranges around them. */
export interface Reachability {
  /**
   * Every peer, sorted by name: the workloads, the source address ranges (cut by ingress ipBlocks) and the destination
   * address ranges (cut by egress ipBlocks).
   */
  readonly peers: readonly ReachabilityPeer[];
  /**
   * The allowed connections, sorted by source name then destination name (as netpol-analyzer sorts them). A workload
   * to itself and an address range to an address range are not listed; nor is a pair with no allowed connection.
   */
  readonly connections: readonly PeerConnection[];
  /** Objects left out (policies the API server would refuse, workloads without a pod template) or read with an assumption. */
  readonly warnings: readonly string[];
}

/** Whether a manifest is a Kubernetes NetworkPolicy (Calico's and Cilium's policies have other API groups). */
function isNetworkPolicy(manifest: any): boolean {
  return manifest?.kind === 'NetworkPolicy' && /^(networking\.k8s\.io|extensions)\//.test(String(manifest.apiVersion));
}

/**
 * The NetworkPolicies of the manifests, read and checked; a policy the API server would refuse is left out with a
 * warning, and a policy given twice (same namespace and name) counts as the later one.
 */
export function readPolicies(manifests: readonly any[], warnings: string[]): PolicyRules[] {
  const policies = new Map<string, PolicyRules>();
  for (const manifest of manifests) {
    if (!isNetworkPolicy(manifest)) continue;
    const namespace = namespaceOf(manifest);
    const name = `NetworkPolicy ${namespace}/${manifest.metadata?.name}`;
    if (typeof manifest.metadata?.name !== 'string' || manifest.metadata.name === '') {
      warnings.push(`NetworkPolicy in ${namespace} has no name: left out (the API server would refuse it)`);
      continue;
    }
    const reading = readPolicyRules(manifest, namespace);
    if ('problem' in reading) {
      warnings.push(`${name} left out: ${reading.problem} (the API server would refuse it)`);
      continue;
    }
    if (policies.has(reading.rules.id)) warnings.push(`${name} is given twice; the later one counts`);
    policies.set(reading.rules.id, reading.rules);
  }
  return [...policies.values()];
}

/**
 * Evaluates the NetworkPolicies of a set of manifests (plain objects, as read from YAML): for every ordered pair of
 * peers, the connections that both the source's egress and the destination's ingress allow.
 *
 * Cost: workloads with the same namespace, labels and container ports share a class; the policies that select each
 * class are found through a selector index; what the policies selecting a class allow is computed once per distinct
 * set of policies, as a table over classes and address ranges; each pair of classes is then one intersection.
 */
export function evaluateReachability(manifests: readonly unknown[]): Reachability {
  const { workloads, warnings: workloadWarnings } = readWorkloads(manifests);
  const warnings = [...workloadWarnings];
  const policies = readPolicies(manifests, warnings);
  const classes = new PeerClasses(workloads, new NamespaceLabels(manifests));
  const sources = new AddressPartition(policies.flatMap((p) => p.ingressRules.flatMap((r) => r.ipBlocks)));
  const destinations = new AddressPartition(policies.flatMap((p) => p.egressRules.flatMap((r) => r.ipBlocks)));
  const resolved = policies.map((policy, order) => resolvePolicy(order, policy, classes, sources, destinations));
  const tables = directionTables(resolved, classes, sources, destinations);
  const entries = peerEntries(workloads, classes, sources, destinations);
  return { peers: entries.map((e) => e.peer), connections: allowedConnections(entries, tables, workloads.length), warnings };
}

/** What the policies selecting each class allow it, per direction; undefined where no policy selects it (open). */
interface DirectionTables {
  readonly classCount: number;
  readonly egressOf: ReadonlyArray<AllowedPeers | undefined>;
  readonly ingressOf: ReadonlyArray<AllowedPeers | undefined>;
}

function directionTables(
  resolved: readonly ResolvedPolicy[], classes: PeerClasses, sources: AddressPartition, destinations: AddressPartition,
): DirectionTables {
  const index = new SelectorIndex<ResolvedPolicy>();
  for (const policy of resolved) index.add(policy.policy.namespace, policy.policy.podSelector, policy);
  const egressTables = new Map<string, AllowedPeers>();
  const ingressTables = new Map<string, AllowedPeers>();
  const egressOf: Array<AllowedPeers | undefined> = [];
  const ingressOf: Array<AllowedPeers | undefined> = [];
  for (const peerClass of classes.classes) {
    const selecting = index.matching(peerClass.namespace, peerClass.labels).sort((a, b) => a.order - b.order);
    const egress = selecting.filter((p) => p.policy.egress);
    const ingress = selecting.filter((p) => p.policy.ingress);
    const egressKey = egress.map((p) => p.order).join(',');
    egressOf.push(egress.length === 0 ? undefined : memo(egressTables, egressKey, () => egressAllowed(egress, classes, destinations.ranges.length)));
    // Named ports make what ingress allows depend on the destination's own ports.
    const ingressKey = `${ingress.map((p) => p.order).join(',')}${ingress.some((p) => p.namesPorts) ? `@${peerClass.index}` : ''}`;
    ingressOf.push(ingress.length === 0
      ? undefined
      : memo(ingressTables, ingressKey, () => ingressAllowed(ingress, classes, peerClass.index, sources.ranges.length)));
  }
  return { classCount: classes.classes.length, egressOf, ingressOf };
}

/** A peer, with where it is found in the tables. */
interface PeerEntry {
  readonly peer: ReachabilityPeer;
  readonly workloadClass?: number;
  sourceRange?: number;
  destinationRange?: number;
}

/** Every peer, sorted by name: the workloads, then the address ranges (a range both cuts make is one peer). */
function peerEntries(workloads: readonly Workload[], classes: PeerClasses, sources: AddressPartition, destinations: AddressPartition): PeerEntry[] {
  const entries = new Map<string, PeerEntry>();
  workloads.forEach((workload, i) => {
    const name = `${workload.namespace}/${workload.name}[${workload.kind}]`;
    entries.set(name, { peer: { name, workload }, workloadClass: classes.classOf[i] });
  });
  const addRange = (range: AddressInterval, role: 'sourceRange' | 'destinationRange', i: number) => {
    const name = `${formatInterval(range)}[External]`;
    let entry = entries.get(name);
    if (!entry) {
      const external = { ...range, firstAddress: formatAddress(range.version, range.first), lastAddress: formatAddress(range.version, range.last) };
      entries.set(name, entry = { peer: { name, external } });
    }
    entry[role] = i;
  };
  sources.ranges.forEach((range, i) => addRange(range, 'sourceRange', i));
  destinations.ranges.forEach((range, i) => addRange(range, 'destinationRange', i));
  return [...entries.values()].sort((a, b) => (a.peer.name < b.peer.name ? -1 : a.peer.name > b.peer.name ? 1 : 0));
}

/** The allowed connections between the peers, in the order of the sorted peers (source, then destination). */
function allowedConnections(sorted: readonly PeerEntry[], tables: DirectionTables, workloadCount: number): PeerConnection[] {
  const { classCount, egressOf, ingressOf } = tables;
  const ALL = ConnectionSet.ALL;
  // The tables as plain arrays by class (undefined: open), read in the inner loop.
  const egressToClasses = egressOf.map((t) => t?.classes);
  const ingressFromClasses = ingressOf.map((t) => t?.classes);
  const classToClass = (s: number, d: number): ConnectionSet => {
    const egress = egressToClasses[s]?.[d] ?? ALL;
    return egress.isEmpty ? egress : egress.intersect(ingressFromClasses[d]?.[s] ?? ALL);
  };
  // Classes shared by several workloads: each pair of classes is intersected once.
  const matrix = classCount < workloadCount ? new Array<ConnectionSet | undefined>(classCount * classCount) : undefined;
  const classPair = !matrix ? classToClass : (s: number, d: number) => (matrix[s * classCount + d] ??= classToClass(s, d));
  const classes = sorted.map((e) => e.workloadClass ?? -1);
  const connections: PeerConnection[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const source = sorted[i];
    const from = classes[i];
    if (from < 0 && source.sourceRange === undefined) continue;
    for (let j = 0; j < sorted.length; j++) {
      const to = classes[j];
      const destination = sorted[j];
      let allowed: ConnectionSet;
      if (from >= 0 && to >= 0) {
        if (i === j) continue;
        allowed = classPair(from, to);
      } else if (from >= 0 && destination.destinationRange !== undefined) {
        allowed = egressOf[from]?.ranges[destination.destinationRange] ?? ALL;
      } else if (from < 0 && to >= 0) {
        allowed = ingressOf[to]?.ranges[source.sourceRange!] ?? ALL;
      } else {
        continue; // address to address, or a range in a role it does not have
      }
      if (!allowed.isEmpty) connections.push({ source: source.peer, destination: destination.peer, connections: allowed });
    }
  }
  return connections;
}

function memo<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (value === undefined) map.set(key, value = make());
  return value;
}
