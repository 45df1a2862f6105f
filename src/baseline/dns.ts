import { k8s } from 'cdk8s-plus-27';
import { Plain } from './plain';

/** Labels that select the cluster DNS pods (CoreDNS keeps the kube-dns label). */
export const KUBE_DNS_POD_LABELS = { 'k8s-app': 'kube-dns' };

/** Labels that select the kube-system namespace (set by Kubernetes on every namespace since 1.22). */
export const KUBE_SYSTEM_NAMESPACE_LABELS = { 'kubernetes.io/metadata.name': 'kube-system' };

/** An egress rule that lets pods resolve names: UDP and TCP 53 to the cluster DNS pods in kube-system. */
export function dnsEgressRule(): Plain<k8s.NetworkPolicyEgressRule> {
  return {
    to: [{ namespaceSelector: { matchLabels: KUBE_SYSTEM_NAMESPACE_LABELS }, podSelector: { matchLabels: KUBE_DNS_POD_LABELS } }],
    ports: [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ],
  };
}
