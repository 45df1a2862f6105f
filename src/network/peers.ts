import { INetworkPolicyPeer, k8s, LabelSelector } from 'cdk8s-plus-27';
import { Plain } from '../baseline/plain';

/** cdk8s-plus-27 keeps the conversion of its LabelSelector internal; this is the one place we call it. */
export function kubeSelector(selector: LabelSelector): Plain<k8s.LabelSelector> {
  return (selector as unknown as { _toKube(): Plain<k8s.LabelSelector> })._toKube();
}

/** Converts a cdk8s-plus-27 network-policy peer (a workload, a pod selector, an IP block) to low-level peers. */
export function toKubePeers(peer: INetworkPolicyPeer): Plain<k8s.NetworkPolicyPeer>[] {
  const config = peer.toNetworkPolicyPeerConfig();
  if (config.ipBlock) {
    return [{ ipBlock: { cidr: config.ipBlock.cidr, except: config.ipBlock.except } }];
  }
  if (!config.podSelector) return [];
  const podSelector = kubeSelector(config.podSelector.labelSelector);
  const namespaces = config.podSelector.namespaces;
  if (!namespaces) return [{ podSelector }];
  const names = namespaces.names ?? [];
  // cdk8s-plus-27 carries an empty label selector beside names; only without names does it mean "all namespaces".
  const selectsByLabels = namespaces.labelSelector && (!namespaces.labelSelector.isEmpty() || names.length === 0);
  const labelSelector = selectsByLabels ? namespaces.labelSelector : undefined;
  const byLabels = labelSelector ? [{ podSelector, namespaceSelector: kubeSelector(labelSelector) }] : [];
  const byNames = names.map((name) => ({
    podSelector,
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
  }));
  return [...byLabels, ...byNames];
}
