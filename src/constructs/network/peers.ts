import { INetworkPolicyPeer, k8s, LabelSelector, PodSelectorConfig } from 'cdk8s-plus-27';
import { inputError } from '../../core/errors';
import { namespaceNamed } from '../../core/labels';
import { Plain } from '../../core/plain';
import { checkInstance, checkList } from '../../core/prop-checks';
import { NON_PUBLIC_BLOCKS, validateIpBlock } from '../../k8s/addresses';
import { Cidr, parseCidrRange } from '../../k8s/cidr';
import { CidrMemo, Direction, openReasons } from '../../k8s/network-policy';

// The network constructs read the non-public blocks from here, beside the peers that use them.
export { NON_PUBLIC_BLOCKS };

/** cdk8s-plus-27 keeps the conversion of its LabelSelector internal; this is the one place we call it. */
export function kubeSelector(selector: LabelSelector): Plain<k8s.LabelSelector> {
  return (selector as unknown as { _toKube(): Plain<k8s.LabelSelector> })._toKube();
}

/**
 * The low-level peers of a cdk8s-plus-27 pod selector: the pods in the policy's own namespace, or in the named
 * namespaces, or in the namespaces a label selector picks.
 */
export function podSelectorPeers(config: PodSelectorConfig): Plain<k8s.NetworkPolicyPeer>[] {
  const podSelector = kubeSelector(config.labelSelector);
  const namespaces = config.namespaces;
  if (!namespaces) return [{ podSelector }];
  const names = namespaces.names ?? [];
  // cdk8s-plus-27 carries an empty label selector beside names; only without names does it mean "all namespaces".
  const selectsByLabels = namespaces.labelSelector && (!namespaces.labelSelector.isEmpty() || names.length === 0);
  const labelSelector = selectsByLabels ? namespaces.labelSelector : undefined;
  const byLabels = labelSelector ? [{ podSelector, namespaceSelector: kubeSelector(labelSelector) }] : [];
  const byNames = names.map((name) => ({ podSelector, namespaceSelector: namespaceNamed(name) }));
  return [...byLabels, ...byNames];
}

/**
 * Why peers in one rule would admit everyone, as the policy engine's NSA-NETWORK-POLICY rule judges it (empty
 * when they do not): `namespaceSelector: {}` alone or with `podSelector: {}`, ipBlocks covering a whole address
 * family (for egress: unless they except the internal ranges). Reasons start after the peer's position.
 */
export function openPeerReasons(peers: Plain<k8s.NetworkPolicyPeer>[], direction: Direction): string[] {
  const field = direction === 'ingress' ? 'from' : 'to';
  return openReasons({ [field]: peers }, direction, new CidrMemo()).map((reason) => reason.replace(/^(from|to)\[\d+\] /, ''));
}

const OPEN_PEER_FIX = 'name the peers: pods by labels (Pods.select(scope, id, { labels })), namespaces by name (Namespaces.select(scope, id, { names })), '
  + 'or an ipBlock narrower than a whole address family';

function peerName(what: string, peer: unknown): string {
  const path = (peer as { node?: { path?: string } })?.node?.path;
  return path ? `${what} ${path}` : what;
}

/**
 * Converts a cdk8s-plus-27 network-policy peer (a workload, a pod selector, namespaces, an IP block) to low-level
 * ingress peers, and refuses what would admit everyone (what NSA-NETWORK-POLICY flags: `Namespaces.all()`,
 * `Peer.anyIpv4()`, an ipBlock over a whole address family) and ipBlocks the API server would refuse
 * (malformed, an except outside the block or of the other family).
 */
export function toKubePeers(where: string, peer: INetworkPolicyPeer, what: string = 'allowIngressFrom peer'): Plain<k8s.NetworkPolicyPeer>[] {
  const checked = checkInstance<INetworkPolicyPeer>(where, what, peer, 'toNetworkPolicyPeerConfig()', 'a network-policy peer (a workload, Pods.select(...), Namespaces.select(...))');
  const name = peerName(what, checked);
  const config = checked.toNetworkPolicyPeerConfig();
  let peers: Plain<k8s.NetworkPolicyPeer>[];
  if (config.ipBlock) {
    const block = validateIpBlock(where, config.ipBlock.cidr, config.ipBlock.except, { what: `the ipBlock of ${name}`, allowCloudMetadata: true });
    peers = [{ ipBlock: { cidr: block.cidr.text, except: block.except.length ? block.except.map((e) => e.text) : undefined } }];
  } else if (config.podSelector) {
    peers = podSelectorPeers(config.podSelector);
  } else {
    peers = [];
  }
  if (peers.length === 0) {
    // An empty peer list in a rule means "every source": a peer that selects nothing must not become one.
    throw inputError(where, `${name} selects no pods, namespaces or addresses`, 'pass a workload, Pods.select(...), Namespaces.select(...) with names, or an ipBlock');
  }
  const open = openPeerReasons(peers, 'ingress');
  if (open.length > 0) throw inputError(where, `${name} ${open[0]}`, OPEN_PEER_FIX);
  return peers;
}

/**
 * Converts a list of peers of one ingress rule (e.g. `allowIngressFrom`): refuses a list that is not one, an
 * empty list (a rule without peers admits every source: "nobody" is no rule, not an empty one), each peer
 * `toKubePeers` refuses, and peers that together admit everyone (ipBlocks that cover a family between them,
 * such as `0.0.0.0/1` and `128.0.0.0/1`).
 */
export function toKubePeerList(where: string, what: string, peers: INetworkPolicyPeer[]): Plain<k8s.NetworkPolicyPeer>[] {
  const list = checkList<INetworkPolicyPeer>(where, what, peers);
  if (list.length === 0) {
    throw inputError(where, `${what} is an empty list, which a NetworkPolicy reads as "every source"`, `name at least one peer, or leave ${what} out`);
  }
  const converted = list.flatMap((peer, i) => toKubePeers(where, peer, `${what}[${i}]`));
  const open = openPeerReasons(converted, 'ingress');
  if (open.length > 0) throw inputError(where, `the peers of ${what} together: ${open.join('; ')}`, OPEN_PEER_FIX);
  return converted;
}

/** Whether an ipBlock lies inside one non-public block: a deliberate internal target, not part of "everything". */
function insideNonPublic(cidr: unknown): boolean {
  const range = typeof cidr === 'string' ? parseCidrRange(cidr) : undefined;
  if (!range) return false;
  return [...NON_PUBLIC_BLOCKS[4], ...NON_PUBLIC_BLOCKS[6]].some((block) => {
    const outer = parseCidrRange(block)!;
    return outer.version === range.version && outer.first <= range.first && range.last <= outer.last;
  });
}

/**
 * Why the egress rules of one NetworkPolicy, taken together, would reach every destination (empty when they
 * would not), as NSA-NETWORK-POLICY judges one rule (`openPeerReasons`): rules narrow alone can cover a whole
 * address family between them (`0.0.0.0/1` in one, `128.0.0.0/1` in another) without excepting the internal
 * ranges. Blocks inside one internal range (`10.200.0.2/32`, `10.0.0.0/8`) are deliberate internal targets and
 * do not count towards "everything"; the blocks that reach public addresses must except every internal range
 * they span. A rule without `to` reaches everything on its own. `ruleNames` name the rules in the reasons
 * (default `egress[i]`). Used by EgressAllowlist and SecureDeployment.addEgressRule.
 */
export function openEgressReasons(rules: Plain<k8s.NetworkPolicyEgressRule>[], ruleNames: string[] = []): string[] {
  const peers: Plain<k8s.NetworkPolicyPeer>[] = [];
  const labels: string[] = [];
  const reasons: string[] = [];
  rules.forEach((rule, i) => {
    const name = ruleNames[i] ?? `egress[${i}]`;
    const to = rule?.to;
    if (!Array.isArray(to) || to.length === 0) {
      reasons.push(`${name} has ${Array.isArray(to) ? 'an empty' : 'no'} "to": it admits every destination`);
      return;
    }
    to.forEach((peer, j) => {
      if (peer?.ipBlock && insideNonPublic(peer.ipBlock.cidr)) return;
      peers.push(peer);
      labels.push(to.length === 1 ? name : `${name}.to[${j}]`);
    });
  });
  if (peers.length === 0) return reasons;
  const together = openReasons({ to: peers }, 'egress', new CidrMemo()).map((reason) => reason.replace(/\bto\[(\d+)\]/g, (_, k) => labels[Number(k)]));
  return [...reasons, ...together];
}

/**
 * The peers of "every public address": how the NetworkPolicy lets a mesh-filtered host through.
 */
export function publicAddresses(): Plain<k8s.NetworkPolicyPeer>[] {
  return [
    { ipBlock: { cidr: '0.0.0.0/0', except: [...NON_PUBLIC_BLOCKS[4]] } },
    { ipBlock: { cidr: '::/0', except: [...NON_PUBLIC_BLOCKS[6]] } },
  ];
}

/**
 * What the mesh needs of a target (Istio mode).
 */
export interface MeshTarget {
  /** The NetworkPolicy rule (a host target: its ports to public addresses only). */
  readonly rule: Plain<k8s.NetworkPolicyEgressRule>;
  /** The external host (a ServiceEntry with DNS resolution). */
  readonly host?: string;
  /** The external block (a ServiceEntry with addresses). */
  readonly block?: Cidr;
  /** The namespaces of in-cluster peers (imported into the Sidecar). */
  readonly namespaces: string[];
}

