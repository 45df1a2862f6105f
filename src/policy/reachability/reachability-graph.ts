// The picture of a reachability result, before it is written as DOT or Mermaid: which nodes to draw, grouped how, and
// which edges between them. Both renderers draw the same graph; only the syntax (and its escaping) differs.
//
// What the picture simplifies, and why each simplification loses nothing:
// - A workload that may connect to every other workload and to every address with every connection (in practice: no
//   egress policy selects it) gets one edge `all` to a single "any peer" node instead of an edge to each peer; likewise
//   a workload every peer may connect to with everything gets one edge `all` from "any peer". The edges those stand for
//   are not drawn again. A workload counts as open only when the ranges it reaches (or is reached from) with every
//   connection cover the whole IPv4 space, and the whole IPv6 space when any range is IPv6; otherwise its edges are drawn
//   one by one (never a claim the result does not make).
// - Address ranges with exactly the same edges (same peers, same directions, same connections) are one node, listing
//   the ranges; adjacent ranges are joined, a range that is a CIDR block is written as one (`10.0.0.0/8`), and a family
//   mostly covered is written as what it leaves out (`0.0.0.0/0 except` then the holes) when that is shorter. A node
//   whose ranges are whole families is the "any address" node (a distinct shape). Ranges no drawn edge touches are left
//   out (they exist only because some ipBlock cut the address space there); workloads are always drawn, even alone.
// - Two edges between the same nodes in opposite directions with the same connections are one edge with two arrows.
// - Edge labels are the connections as the connection list writes them (`TCP 5432`, `TCP 80,UDP 53`), `all` for every
//   connection; they come from numbers and protocol names only, never from the manifests.
// Everything is sorted: namespaces and workloads by name, address nodes by their first address, edges by source then
// destination in that node order.
import { AddressInterval, formatAddress } from './address-ranges';
import { ConnectionSet } from './connection-set';
import { Reachability, ReachabilityPeer } from './reachability';

/** What a node of the picture stands for. */
export type GraphNodeKind = 'workload' | 'addresses' | 'any-address' | 'any-peer';

/** A node of the picture. */
export interface GraphNode {
  /** A key unique in the graph: the peer's name for a workload, the first range's peer name for addresses, `any peer`. */
  readonly key: string;
  /** What it stands for. */
  readonly kind: GraphNodeKind;
  /** The lines of its label, as plain text (the renderers escape them). */
  readonly lines: readonly string[];
  /**
   * The namespace of a workload.
   * @default - none: not a workload
   */
  readonly namespace?: string;
}

/** An edge of the picture. */
export interface GraphEdge {
  /** The source. */
  readonly from: GraphNode;
  /** The destination. */
  readonly to: GraphNode;
  /** The connections: `all`, or as the connection list writes them. */
  readonly label: string;
  /** Whether the same connections are also allowed from `to` to `from` (one edge with two arrows). */
  readonly both: boolean;
}

/** The picture: namespaces with their workloads, the nodes outside any namespace, and the edges. */
export interface ReachabilityGraph {
  /** The namespaces that hold workloads, sorted by name, each with its workloads sorted by name. */
  readonly namespaces: ReadonlyArray<{ readonly name: string; readonly nodes: readonly GraphNode[] }>;
  /** Address nodes (by first address), then the "any peer" node when an edge uses it. */
  readonly outside: readonly GraphNode[];
  /** The edges, sorted by source then destination (in node order). */
  readonly edges: readonly GraphEdge[];
}

/** The key of the "any peer" node (peer names always end in `]`, so it names no peer). */
export const ANY_PEER_KEY = 'any peer';

/** The connections as an edge label: `all`, or as the connection list writes them. */
export function edgeLabel(connections: ConnectionSet): string {
  return connections.isAll ? 'all' : connections.toString();
}

/** The graph of a reachability result (see the header of this file for what it simplifies). */
export function reachabilityGraph(reachability: Reachability): ReachabilityGraph {
  const workloads = reachability.peers.filter((p) => p.workload);
  const externals = reachability.peers.filter((p) => p.external);
  const hasIpv6 = externals.some((p) => p.external!.version === 6);
  const outgoing = new Map<string, Map<string, ConnectionSet>>();
  const incoming = new Map<string, Map<string, ConnectionSet>>();
  for (const { source, destination, connections } of reachability.connections) {
    memo(outgoing, source.name).set(destination.name, connections);
    memo(incoming, destination.name).set(source.name, connections);
  }
  const isOpen = (workload: ReachabilityPeer, links: Map<string, Map<string, ConnectionSet>>): boolean => {
    const allowed = links.get(workload.name) ?? new Map<string, ConnectionSet>();
    if (!workloads.every((w) => w === workload || allowed.get(w.name)?.isAll)) return false;
    const ranges = externals.filter((p) => allowed.get(p.name)?.isAll).map((p) => p.external!);
    return [4, ...(hasIpv6 ? [6] : [])].every((version) => coversFamily(ranges, version));
  };
  const openOut = new Set(workloads.filter((w) => isOpen(w, outgoing)).map((w) => w.name));
  const openIn = new Set(workloads.filter((w) => isOpen(w, incoming)).map((w) => w.name));
  const drawn = reachability.connections.filter((c) => !openOut.has(c.source.name) && !openIn.has(c.destination.name));

  // Workload nodes, by namespace.
  const nodes = new Map<string, GraphNode>();
  const byNamespace = new Map<string, GraphNode[]>();
  for (const peer of workloads) {
    const { namespace, name, kind } = peer.workload!;
    const node: GraphNode = { key: peer.name, kind: 'workload', lines: [name, kind], namespace };
    nodes.set(peer.name, node);
    memoList(byNamespace, namespace).push(node);
  }

  // Address nodes: ranges with the same drawn edges are one node.
  const signatures = new Map<string, string[]>();
  for (const { source, destination, connections } of drawn) {
    const label = edgeLabel(connections);
    if (source.external) memoList(signatures, source.name).push(`to ${destination.name} ${label}`);
    if (destination.external) memoList(signatures, destination.name).push(`from ${source.name} ${label}`);
  }
  const groups = new Map<string, ReachabilityPeer[]>();
  for (const peer of externals) {
    const signature = signatures.get(peer.name);
    if (signature) memoList(groups, signature.sort().join('\n')).push(peer);
  }
  const addressNodes = [...groups.values()].map((peers) => {
    const ranges = peers.map((p) => p.external!).sort(compareIntervals);
    const first = peers.find((p) => p.external === ranges[0])!;
    const node: GraphNode = { key: first.name, ...addressLabel(ranges, hasIpv6) };
    for (const peer of peers) nodes.set(peer.name, node);
    return { node, first: ranges[0] };
  }).sort((a, b) => compareIntervals(a.first, b.first)).map((a) => a.node);

  const anyPeer: GraphNode = { key: ANY_PEER_KEY, kind: 'any-peer', lines: ['any peer'] };
  const order = new Map<GraphNode, number>();
  const namespaces = [...byNamespace.keys()].sort(compareText).map((name) => ({ name, nodes: byNamespace.get(name)! }));
  for (const ns of namespaces) for (const node of ns.nodes) order.set(node, order.size);
  for (const node of addressNodes) order.set(node, order.size);
  order.set(anyPeer, order.size);

  // Edges: the ones drawn one by one, merged per pair of nodes, and the "any peer" ones.
  const edges = new Map<string, { from: GraphNode; to: GraphNode; label: string }>();
  const add = (from: GraphNode, to: GraphNode, label: string) => edges.set(`${order.get(from)}>${order.get(to)}>${label}`, { from, to, label });
  for (const { source, destination, connections } of drawn) add(nodes.get(source.name)!, nodes.get(destination.name)!, edgeLabel(connections));
  for (const name of openOut) add(nodes.get(name)!, anyPeer, 'all');
  for (const name of openIn) add(anyPeer, nodes.get(name)!, 'all');
  const merged: GraphEdge[] = [];
  for (const [key, edge] of edges) {
    const reverse = `${order.get(edge.to)}>${order.get(edge.from)}>${edge.label}`;
    if (reverse !== key && edges.has(reverse)) {
      if (order.get(edge.from)! < order.get(edge.to)!) merged.push({ ...edge, both: true });
    } else {
      merged.push({ ...edge, both: false });
    }
  }
  merged.sort((a, b) => order.get(a.from)! - order.get(b.from)! || order.get(a.to)! - order.get(b.to)! || compareText(a.label, b.label));
  const usesAnyPeer = openOut.size > 0 || openIn.size > 0;
  return { namespaces, outside: [...addressNodes, ...(usesAnyPeer ? [anyPeer] : [])], edges: merged };
}

const FAMILY_BITS: { readonly [version: number]: number } = { 4: 32, 6: 128 };
const FAMILY_LAST = (version: number): bigint => 2n ** BigInt(FAMILY_BITS[version]) - 1n;

/** Whether the ranges (sorted or not, disjoint) cover every address of the family. */
function coversFamily(ranges: readonly AddressInterval[], version: number): boolean {
  const spans = joined(ranges.filter((r) => r.version === version));
  return spans.length === 1 && spans[0].first === 0n && spans[0].last === FAMILY_LAST(version);
}

/** Disjoint ranges of one family, sorted, with adjacent ones joined. */
function joined(ranges: readonly AddressInterval[]): AddressInterval[] {
  const spans: AddressInterval[] = [];
  for (const range of [...ranges].sort(compareIntervals)) {
    const last = spans[spans.length - 1];
    if (last && last.version === range.version && last.last + 1n === range.first) spans[spans.length - 1] = { ...last, last: range.last };
    else spans.push(range);
  }
  return spans;
}

/** The label of an address node: its ranges, per family, written the shorter way. */
function addressLabel(ranges: readonly AddressInterval[], hasIpv6: boolean): { kind: GraphNodeKind; lines: string[] } {
  const families = [4, 6].filter((version) => ranges.some((r) => r.version === version));
  if (families.every((version) => coversFamily(ranges, version))) {
    const whole = families.map((version) => formatSpan({ version, first: 0n, last: FAMILY_LAST(version) }));
    const everything = families.length === 2 || !hasIpv6;
    return { kind: 'any-address', lines: [everything ? 'any address' : `any IPv${families[0]} address`, ...whole] };
  }
  const lines = families.flatMap((version) => {
    const spans = joined(ranges.filter((r) => r.version === version));
    const holes: AddressInterval[] = [];
    let next = 0n;
    for (const span of spans) {
      if (span.first > next) holes.push({ version, first: next, last: span.first - 1n });
      next = span.last + 1n;
    }
    if (next <= FAMILY_LAST(version)) holes.push({ version, first: next, last: FAMILY_LAST(version) });
    return holes.length < spans.length
      ? [`${formatSpan({ version, first: 0n, last: FAMILY_LAST(version) })} except`, ...holes.map(formatSpan)]
      : spans.map(formatSpan);
  });
  return { kind: 'addresses', lines };
}

/** A range as a CIDR block when it is one (`10.0.0.0/8`, `10.0.0.1/32`), otherwise `first-last`. */
function formatSpan(range: AddressInterval): string {
  const size = range.last - range.first + 1n;
  const bits = size.toString(2).length - 1;
  if (size === 2n ** BigInt(bits) && range.first % size === 0n) {
    return `${formatAddress(range.version, range.first)}/${FAMILY_BITS[range.version] - bits}`;
  }
  return `${formatAddress(range.version, range.first)}-${formatAddress(range.version, range.last)}`;
}

function compareIntervals(a: AddressInterval, b: AddressInterval): number {
  return a.version - b.version || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function memo<K, V>(map: Map<K, Map<string, V>>, key: K): Map<string, V> {
  let value = map.get(key);
  if (!value) map.set(key, value = new Map());
  return value;
}

function memoList<K, V>(map: Map<K, V[]>, key: K): V[] {
  let value = map.get(key);
  if (!value) map.set(key, value = []);
  return value;
}
