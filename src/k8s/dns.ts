import { k8s } from 'cdk8s-plus-27';
import { namespaceNamed } from '../core/labels';
import { Plain } from '../core/plain';

/** Labels that select the cluster DNS pods (CoreDNS keeps the kube-dns label). */
export const KUBE_DNS_POD_LABELS = { 'k8s-app': 'kube-dns' };


/** An egress rule that lets pods resolve names: UDP and TCP 53 to the cluster DNS pods in kube-system. */
export function dnsEgressRule(): Plain<k8s.NetworkPolicyEgressRule> {
  return {
    to: [{ namespaceSelector: namespaceNamed('kube-system'), podSelector: { matchLabels: KUBE_DNS_POD_LABELS } }],
    ports: [
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ],
  };
}
