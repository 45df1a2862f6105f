import { list } from './cluster-facts';
import { addressPeer, workloadPeerOf } from './connection-peers';
import { PolicyObject } from '../../../k8s/policy-object';
import { ConnectionQuery, QueryPeer } from '../../reachability/connection-query';
import { ConnectionSet } from '../../reachability/connection-set';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { EvaluationFacts } from '../../rule-api/evaluation-facts';
import { Severity } from '../../rule-api/severity';

const UDP_53 = ConnectionSet.ports('UDP', 53);
const TCP_53 = ConnectionSet.ports('TCP', 53);
const DNS = UDP_53.union(TCP_53);

/**
 * Every workload's pods can resolve names: they reach their name servers on UDP 53 and TCP 53 through every layer the
 * manifests hold (NetworkPolicies and CiliumNetworkPolicies of the pod and of the server, an Istio REGISTRY_ONLY
 * Sidecar for TCP), as the connection queries of `Reachability` judge them. The name servers are cluster DNS (the
 * `k8s-app: kube-dns` pods of kube-system, taken to exist when the manifests lack them) for the default `dnsPolicy`
 * (ClusterFirst) and ClusterFirstWithHostNet, and the addresses of `dnsConfig.nameservers` (one reached is enough) for
 * `dnsPolicy: None`.
 *
 * Not judged: cluster DNS itself, pods on the host network (NetworkPolicies do not apply to them), `dnsPolicy: Default` (the node's
 * resolver, outside the manifests), and objects the queries do not read as workloads (custom kinds, PodTemplates).
 * A workload no egress policy selects reaches DNS and passes: missing isolation is NSA-NETWORK-POLICY's finding, not
 * this one's, so the two never report the same gap.
 *
 * A warning: some workloads need no names (they connect to addresses only), and a node-local DNS cache answering on
 * another address is configured outside the manifests. TCP 53 is required too: answers too long for UDP are retried over
 * TCP, and fail without it.
 */
export class DnsReachableRule extends CrossObjectCheck {
  public constructor() {
    super({
      id: 'K8S-DNS-REACHABLE',
      title: 'Workloads can reach their DNS servers (cluster DNS on UDP and TCP 53) through every network policy',
      rationale: 'An egress policy that forgets DNS breaks every connection by name (Services, databases, APIs) with '
        + 'timeouts that look like network faults; default-deny egress is where it usually happens.',
      severity: Severity.WARNING,
      standard: 'Kubernetes DNS for Services and Pods; NetworkPolicy egress',
      fix: 'Allow egress to UDP and TCP port 53 of the kube-dns pods (namespaceSelector kubernetes.io/metadata.name: kube-system, '
        + 'podSelector k8s-app: kube-dns) in a NetworkPolicy selecting the pods.',
      constructFix: 'DefaultDenyNamespace allows every pod of its namespace DNS to kube-dns (its dns prop).',
      admission: AdmissionCheck.notExpressible('judges the pods against every network policy of the set (cross-object)'),
    });
  }

  protected judgeSet(_objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void {
    if (facts.workloads.length === 0) return;
    const query = facts.connections;
    const clusterDns = ConnectionQuery.workloadPeer(query.clusterDns);
    for (const { object, pod } of facts.workloads) {
      if (pod.spec.hostNetwork === true || pod.spec.dnsPolicy === 'Default') continue;
      const servers = pod.spec.dnsPolicy === 'None'
        ? list(pod.spec.dnsConfig?.nameservers).flatMap((s) => (typeof s === 'string' && addressPeer(s)) || [])
        : [clusterDns];
      const source = servers.length > 0 ? workloadPeerOf(query, object) : undefined;
      // Cluster DNS itself answers its own queries (and forwards the rest upstream, outside the manifests).
      if (!source || source.workload === query.clusterDns) continue;
      results.judge(object, dnsProblems(query, source, servers));
    }
  }
}

/** Why a pod cannot resolve names (none when one of its servers answers on UDP and TCP 53). */
function dnsProblems(query: ConnectionQuery, source: QueryPeer, servers: QueryPeer[]): string[] {
  let first: string[] | undefined;
  for (const server of servers) {
    const { allowed } = query.judge(source, server, DNS);
    if (allowed.has('UDP', 53) && allowed.has('TCP', 53)) return [];
    // Say which half is missing, with its own reason.
    const problems: string[] = [];
    if (!allowed.has('UDP', 53)) problems.push(`its pods cannot resolve names: ${query.judge(source, server, UDP_53).reason}`);
    else problems.push(`its pods reach DNS on UDP 53 only, so answers too long for UDP fail: ${query.judge(source, server, TCP_53).reason}`);
    first ??= problems;
  }
  return first ?? [];
}
