// What a Kubernetes NetworkPolicy does, read from its manifest: the analysis shared by NSA-NETWORK-POLICY and
// NSA-METADATA-EGRESS. Each policy is read once per evaluation, then looked up per pod with a SelectorIndex.
import { CLOUD_METADATA_ADDRESSES, METADATA_ADDRESS_FORMS } from './addresses';
import { cidrContains, CidrRange, parseCidrRange } from './cidr';
import { PolicyObject } from './policy-object';
import { SelectorIndex } from './selector-index';
import { NAMESPACE_NAME_LABEL } from '../core/labels';

/** The direction of a NetworkPolicy rule. */
export type Direction = 'ingress' | 'egress';

/** A NetworkPolicy as the rules read it. */
export interface NetworkPolicyView {
  /** `namespace/name` (or just `name`), for messages. */
  readonly name: string;
  /** The spec. */
  readonly spec: any;
  /** Whether Ingress is among its effective policyTypes. */
  readonly ingress: boolean;
  /** Whether Egress is among its effective policyTypes. */
  readonly egress: boolean;
}

/**
 * Where pod, Service and node networks and the metadata services live in practically every cluster: private
 * (RFC 1918), carrier-grade NAT (RFC 6598, also Alibaba's metadata), link-local (metadata, node-local DNS) and
 * IPv6 unique-local and link-local. An egress rule over every address that excepts all of them reaches only
 * public addresses (how a NetworkPolicy says "the internet").
 */
const INTERNAL_RANGES: ReadonlyArray<{ readonly cidr: string; readonly range: CidrRange }> = Object.freeze(
  ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', 'fc00::/7', 'fe80::/10']
    .map((cidr) => Object.freeze({ cidr, range: parseCidrRange(cidr)! })),
);

const ADDRESS_SPACE: { readonly [version: number]: { readonly first: bigint; readonly last: bigint } } = Object.freeze({
  4: Object.freeze({ first: 0n, last: 2n ** 32n - 1n }),
  6: Object.freeze({ first: 0n, last: 2n ** 128n - 1n }),
});

/**
 * Parses CIDR blocks once per evaluation: policies repeat the same blocks and except lists, and a rule is
 * judged once per policy, so each distinct block is parsed once. Create one per evaluation (it is not shared).
 */
export class CidrMemo {
  private readonly ranges = new Map<string, CidrRange | undefined>();
  private readonly holds = new Map<string, boolean>();

  /** The block as a range (undefined when malformed or not a string). */
  public range(cidr: unknown): CidrRange | undefined {
    if (typeof cidr !== 'string') return undefined;
    if (!this.ranges.has(cidr)) this.ranges.set(cidr, parseCidrRange(cidr));
    return this.ranges.get(cidr);
  }

  /** Whether the block holds the address (`cidrContains`). */
  public contains(cidr: unknown, address: string): boolean {
    if (typeof cidr !== 'string') return false;
    const key = `${cidr}\u0000${address}`;
    let holds = this.holds.get(key);
    if (holds === undefined) {
      holds = cidrContains(cidr, address);
      this.holds.set(key, holds);
    }
    return holds;
  }
}

/** Whether the object is a Kubernetes NetworkPolicy (Calico's and Cilium's policies have other API groups and are not read). */
export function isNetworkPolicy(object: PolicyObject): boolean {
  return object.kind === 'NetworkPolicy' && /^(networking\.k8s\.io|extensions)\//.test(object.apiVersion);
}

/**
 * The effective policyTypes, as the API server defaults them: listed types when the list is non-empty;
 * otherwise Ingress, plus Egress when the policy has at least one egress rule.
 */
export function effectivePolicyTypes(spec: any): { ingress: boolean; egress: boolean } {
  const listed: unknown[] = Array.isArray(spec?.policyTypes) ? spec.policyTypes : [];
  if (listed.length > 0) return { ingress: listed.includes('Ingress'), egress: listed.includes('Egress') };
  return { ingress: true, egress: Array.isArray(spec?.egress) && spec.egress.length > 0 };
}

/**
 * The Kubernetes NetworkPolicies of the objects, in order, and indexed by the policy's namespace and pod selector (a
 * missing podSelector is read as `{}`, every pod of the namespace).
 */
export function indexNetworkPolicies(objects: PolicyObject[]): { policies: NetworkPolicyView[]; index: SelectorIndex<NetworkPolicyView> } {
  const policies: NetworkPolicyView[] = [];
  const index = new SelectorIndex<NetworkPolicyView>();
  for (const object of objects) {
    if (!isNetworkPolicy(object)) continue;
    const spec = object.manifest.spec ?? {};
    const name = [object.namespace, object.name].filter(Boolean).join('/');
    const policy = { name, spec, ...effectivePolicyTypes(spec) };
    policies.push(policy);
    index.add(object.namespace, spec.podSelector ?? {}, policy);
  }
  return { policies, index };
}

/** The rules of one direction of a policy (empty when the direction is not among its policyTypes). */
export function rulesOf(policy: NetworkPolicyView, direction: Direction): any[] {
  if (!policy[direction]) return [];
  const rules = policy.spec[direction];
  return Array.isArray(rules) ? rules : [];
}

/** The ports of a rule in words: `on every port`, `on TCP 443, UDP 53`, `on TCP 8000-9000`, `on every UDP port`. */
export function describePorts(ports: any): string {
  if (!Array.isArray(ports) || ports.length === 0) return 'on every port';
  return `on ${ports.map((p) => {
    const protocol = String(p?.protocol ?? 'TCP');
    if (p?.port === undefined || p?.port === null) return `every ${protocol} port`;
    if (typeof p.port === 'string') return `${protocol} port ${JSON.stringify(p.port)}`;
    return p.endPort !== undefined && p.endPort !== null ? `${protocol} ${p.port}-${p.endPort}` : `${protocol} ${p.port}`;
  }).join(', ')}`;
}

/**
 * Whether a rule's ports include TCP 80: no ports (every port), a TCP entry without a port, port 80, a range
 * over 80, or a named port (a name cannot be resolved for an IP block: conservatively, it may be 80).
 */
export function includesTcp80(ports: any): boolean {
  if (!Array.isArray(ports) || ports.length === 0) return true;
  return ports.some((p) => {
    if (String(p?.protocol ?? 'TCP').toUpperCase() !== 'TCP') return false;
    const port = p?.port;
    if (port === undefined || port === null || typeof port === 'string') return true;
    const end = typeof p.endPort === 'number' ? p.endPort : port;
    return port <= 80 && 80 <= end;
  });
}

/**
 * Whether a label selector has no positive requirement, so that it selects every object but those it excludes:
 * `{}`, or only NotIn / DoesNotExist terms, or Exists on a label every object carries (`universalLabel`).
 */
function unconstrained(selector: any, universalLabel?: string): boolean {
  if (selector === null || typeof selector !== 'object' || Array.isArray(selector)) return false;
  if (Object.keys(selector.matchLabels ?? {}).length > 0) return false;
  const expressions = selector.matchExpressions ?? [];
  if (!Array.isArray(expressions)) return false;
  return expressions.every((e) => e?.operator === 'NotIn'
    || (e?.operator === 'DoesNotExist' && e.key !== universalLabel)
    || (e?.operator === 'Exists' && universalLabel !== undefined && e.key === universalLabel));
}

/** Whether a selector excludes some objects (has NotIn or DoesNotExist terms). */
function excludes(selector: any): boolean {
  const expressions = selector?.matchExpressions;
  return Array.isArray(expressions) && expressions.some((e) => e?.operator === 'NotIn' || e?.operator === 'DoesNotExist');
}

/** Whether the first range lies inside the second. */
function inside(inner: { first: bigint; last: bigint }, outer: { first: bigint; last: bigint }): boolean {
  return outer.first <= inner.first && inner.last <= outer.last;
}

/** Whether the ranges together cover every address from `first` to `last`. */
function covers(ranges: Array<{ first: bigint; last: bigint }>, first: bigint, last: bigint): boolean {
  if (ranges.length === 0) return false;
  if (ranges.some((r) => r.first <= first && last <= r.last)) return true;
  const sorted = ranges.filter((r) => r.last >= first && r.first <= last).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let next = first;
  for (const range of sorted) {
    if (range.first > next) return false;
    if (range.last >= next) next = range.last + 1n;
    if (next > last) return true;
  }
  return next > last;
}

interface IpBlockPeer {
  readonly index: number;
  readonly cidr: string;
  readonly range: CidrRange;
  /** The blocks of its except list (malformed ones left out: they except nothing). */
  readonly except: () => CidrRange[];
}

function ipBlocksOf(peers: any[], cidrs: CidrMemo): IpBlockPeer[] {
  const blocks: IpBlockPeer[] = [];
  peers.forEach((peer, index) => {
    const range = cidrs.range(peer?.ipBlock?.cidr);
    if (!range) return;
    const listed: unknown[] = Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : [];
    let parsed: CidrRange[] | undefined;
    const except = () => (parsed ??= listed.map((e) => cidrs.range(e)).filter((r): r is CidrRange => r !== undefined));
    blocks.push({ index, cidr: peer.ipBlock.cidr, range, except });
  });
  return blocks;
}

/** The first internal range that a block spanning it does not except entirely (with that block). */
function firstOpenInternalRange(blocks: IpBlockPeer[], version: number): { internal: { cidr: string }; block: IpBlockPeer } | undefined {
  for (const internal of INTERNAL_RANGES) {
    if (internal.range.version !== version) continue;
    for (const block of blocks) {
      if (inside(internal.range, block.range) && !covers(block.except(), internal.range.first, internal.range.last)) return { internal, block };
    }
  }
  return undefined;
}

/**
 * Why a rule admits everything (empty when it does not). Reasons read after `ingress[i] ` / `egress[i] `.
 *
 * A rule admits everything when:
 * - its `from` / `to` is missing or empty (every source / destination);
 * - a peer has a namespaceSelector without positive requirement (`{}`) and no podSelector or one without
 *   positive requirement (`{}`): every pod of every namespace;
 * - its ipBlocks together cover every IPv4 or every IPv6 address (`0.0.0.0/0`, `::/0`, or halves like
 *   `0.0.0.0/1` + `128.0.0.0/1`). For ingress, `except` does not narrow that: the rest is still every source on
 *   the internet. For egress, such blocks admit everything unless the blocks that span each internal range
 *   (private, carrier-grade NAT, link-local, unique-local) except all of it; blocks that do reach only public
 *   addresses (the way to say "the internet", e.g. for a mesh that filters host names).
 *
 * Ports do not narrow "everything": a rule open to everyone on one port is still open, and the caller says on
 * which ports.
 */
export function openReasons(rule: any, direction: Direction, cidrs: CidrMemo): string[] {
  const field = direction === 'ingress' ? 'from' : 'to';
  const who = direction === 'ingress' ? 'source' : 'destination';
  const peers = rule?.[field];
  if (!Array.isArray(peers)) return [`has no "${field}": it admits every ${who}`];
  if (peers.length === 0) return [`has an empty "${field}": it admits every ${who}`];
  const reasons: string[] = [];
  peers.forEach((peer, j) => {
    const namespaces = peer?.namespaceSelector;
    const pods = peer?.podSelector;
    if (namespaces === undefined || namespaces === null || !unconstrained(namespaces, NAMESPACE_NAME_LABEL)) return;
    if (pods !== undefined && pods !== null && !unconstrained(pods)) return;
    const but = excludes(namespaces) || excludes(pods) ? ' but those its selectors exclude' : '';
    const podPart = pods === undefined || pods === null ? 'no podSelector' : `podSelector ${JSON.stringify(pods)}`;
    reasons.push(`${field}[${j}] has namespaceSelector ${JSON.stringify(namespaces)} and ${podPart}: it admits every pod of every namespace${but}`);
  });
  const blocks = peers.some((peer) => peer?.ipBlock) ? ipBlocksOf(peers, cidrs) : [];
  for (const version of blocks.length ? [4, 6] : []) {
    const family = blocks.filter((b) => b.range.version === version);
    const space = ADDRESS_SPACE[version];
    if (!covers(family.map((b) => b.range), space.first, space.last)) continue;
    const names = family.length === 1 ? `${field}[${family[0].index}] ipBlock ${family[0].cidr}` : `the ipBlocks of ${family.map((b) => `${field}[${b.index}]`).join(', ')}`;
    if (direction === 'ingress') {
      reasons.push(`${names} cover${family.length === 1 ? 's' : ''} every IPv${version} address: it admits every ${who}`);
      continue;
    }
    const open = firstOpenInternalRange(family, version);
    if (!open) continue;
    const { internal, block } = open;
    const via = family.length === 1 ? 'and does not' : `and ${field}[${block.index}] (${block.cidr}) does not`;
    reasons.push(`${names} cover${family.length === 1 ? 's' : ''} every IPv${version} address ${via} except ${internal.cidr}: it admits every ${who}`);
  }
  return reasons;
}

/**
 * How an egress rule reaches a cloud metadata address on TCP 80 (empty when it does not): a missing or empty
 * `to`, or an ipBlock holding the address without an except holding it. Reasons read after `egress[i] `.
 */
export function metadataReasons(rule: any, cidrs: CidrMemo): string[] {
  if (!includesTcp80(rule?.ports)) return [];
  const peers = rule?.to;
  if (!Array.isArray(peers) || peers.length === 0) {
    return [`has ${Array.isArray(peers) ? 'an empty' : 'no'} "to": it reaches the cloud metadata addresses ${CLOUD_METADATA_ADDRESSES.join(', ')}`];
  }
  const reasons: string[] = [];
  peers.forEach((peer, j) => {
    const cidr = peer?.ipBlock?.cidr;
    if (typeof cidr !== 'string') return;
    const except: unknown[] = Array.isArray(peer.ipBlock.except) ? peer.ipBlock.except : [];
    const reached = METADATA_ADDRESS_FORMS.filter((address) => cidrs.contains(cidr, address) && !except.some((e) => cidrs.contains(e, address)));
    if (reached.length === 0) return;
    const what = reached.length === 1 ? `the cloud metadata address ${reached[0]}` : `the cloud metadata addresses ${reached.join(', ')}`;
    reasons.push(`to[${j}] ipBlock ${cidr}${except.length ? ` (except ${except.join(', ')})` : ''} reaches ${what}`);
  });
  return reasons;
}
