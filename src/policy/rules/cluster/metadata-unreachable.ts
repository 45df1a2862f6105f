import { addressPeer, workloadPeerOf } from './connection-peers';
import { CLOUD_METADATA_ADDRESSES, nat64Cidr } from '../../../k8s/addresses';
import { PolicyObject } from '../../../k8s/policy-object';
import { QueryPeer } from '../../reachability/connection-query';
import { ConnectionSet } from '../../reachability/connection-set';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { EvaluationFacts } from '../../rule-api/evaluation-facts';
import { Severity } from '../../rule-api/severity';
import { MetadataEgressRule } from '../nsa/metadata-egress';

const HTTP = ConnectionSet.ports('TCP', 80);

/** The metadata addresses as peers: CLOUD_METADATA_ADDRESSES and the NAT64 forms of the IPv4 ones. */
function metadataPeers(): QueryPeer[] {
  const texts = [...CLOUD_METADATA_ADDRESSES, ...CLOUD_METADATA_ADDRESSES.filter((a) => !a.includes(':')).map((a) => nat64Cidr(`${a}/32`))];
  return texts.flatMap((text) => addressPeer(text) ?? []);
}

/**
 * No workload reaches a cloud metadata address (CLOUD_METADATA_ADDRESSES and their NAT64 forms) on TCP 80 by any path
 * the manifests open: through every layer the connection queries of `Reachability` model, where CiliumNetworkPolicy
 * rules add up with the NetworkPolicies (Cilium enforces both as one policy: a `toEntities: world`, `toCIDR 0.0.0.0/0`
 * or `toCIDRSet` without the metadata addresses in `except` opens the path although the NetworkPolicies close it).
 *
 * NSA-METADATA-EGRESS judges the NetworkPolicies alone, and reports pods on the host network and pods no egress
 * NetworkPolicy selects; this rule judges only the workloads that rule passes, so that one path is reported once. Without
 * a CiliumNetworkPolicy in the set the layers add no path to what the NetworkPolicies admit (an Istio Sidecar only
 * narrows), so the rule applies to nothing and costs nothing. "Any path" is any layer and any metadata address, not a
 * chain of hops: a pod that can reach another pod does not make that pod's requests.
 *
 * An error, as NSA-METADATA-EGRESS is: the metadata service hands out the node's or the pod's cloud credentials.
 */
export class MetadataUnreachableRule extends CrossObjectCheck {
  public constructor() {
    super({
      id: 'K8S-METADATA-UNREACHABLE',
      title: 'No workload reaches a cloud metadata address through any network policy layer (Cilium rules add to NetworkPolicies)',
      rationale: 'Cilium enforces its own rules and the NetworkPolicies together: an allow in either opens the path, so a '
        + 'metadata address the NetworkPolicies keep out is reached through a CiliumNetworkPolicy, with the node\'s cloud credentials behind it.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Network separation and hardening — network policies (block access to cloud metadata)',
      fix: 'In the CiliumNetworkPolicy the finding names, add the metadata addresses (e.g. 169.254.169.254/32) to the except of its toCIDRSet, '
        + 'replace world with narrower CIDRs, or deny them with an egressDeny rule.',
      admission: AdmissionCheck.notExpressible('judges the pods against every network policy of the set, of two APIs (cross-object)'),
    });
  }

  protected judgeSet(objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void {
    if (!objects.some((o) => o.kind === 'CiliumNetworkPolicy') || facts.workloads.length === 0) return;
    const query = facts.connections;
    if (!query.hasCiliumPolicies) return;
    // What NSA-METADATA-EGRESS reports is left to it.
    const reported = new Set(new MetadataEgressRule()._evaluateWith(objects, facts).filter((r) => !r.compliant).map((r) => r.objectIndex));
    const destinations = metadataPeers();
    for (const { object, objectIndex, pod } of facts.workloads) {
      if (reported.has(objectIndex) || pod.spec.hostNetwork === true) continue;
      const source = workloadPeerOf(query, object);
      if (!source) continue;
      const messages: string[] = [];
      for (const destination of destinations) {
        const verdict = query.judge(source, destination, HTTP);
        if (!verdict.allowed.isEmpty) messages.push(`its pods reach the cloud metadata address ${destination.name} although its NetworkPolicies keep it out: ${verdict.reason}`);
      }
      results.judge(object, messages);
    }
  }
}
