import { CLOUD_METADATA_ADDRESSES } from '../../../k8s/addresses';
import { CidrMemo, metadataReasons, NetworkPolicyView, rulesOf } from '../../../k8s/network-policy';
import { PolicyObject } from '../../../k8s/policy-object';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { EvaluationFacts } from '../../rule-api/evaluation-facts';
import { Severity } from '../../rule-api/severity';

/** What one NetworkPolicy lets the pods it selects reach, judged once. */
interface Verdict {
  readonly egress: boolean;
  /** One message per egress rule (and peer) that reaches a metadata address on TCP 80. */
  readonly reaches: string[];
}

/**
 * No workload can reach a cloud metadata service or credentials endpoint (CLOUD_METADATA_ADDRESSES:
 * 169.254.169.254, fd00:ec2::254, 100.100.100.200, the ECS and EKS Pod Identity credential endpoints
 * 169.254.170.2, 169.254.170.23 and fd00:ec2::23, OpenStack's fe80::a9fe:a9fe, GCP's fd20:ce::254, and the NAT64
 * forms of the IPv4 ones), which hand out the node's or the pod's cloud credentials.
 *
 * Every metadata service answers HTTP on TCP 80, and egress policies are additive, so a pod reaches one iff
 * - it uses the host network (NetworkPolicies do not apply), or
 * - no Kubernetes NetworkPolicy in its namespace selects it with Egress among its effective policyTypes, or
 * - an egress rule of a selecting policy with Egress has ports including TCP 80 (no ports, a TCP entry without
 *   port, 80, a range over 80, or a named port, which cannot be resolved for an IP block) and either no or an
 *   empty `to`, or an ipBlock whose cidr holds the address without an `except` holding it. IPv4-mapped IPv6
 *   blocks (`::ffff:169.254.169.254/128`) count as the IPv4 blocks they map.
 *
 * Pod and namespace selectors never select a metadata service (it is not a pod).
 */
export class MetadataEgressRule extends CrossObjectCheck {
  public constructor() {
    super({
      id: 'NSA-METADATA-EGRESS',
      title: 'Workloads cannot reach the cloud metadata service',
      rationale: 'The metadata service (169.254.169.254 and its kin) hands the node\'s cloud credentials to any pod that can reach it: one SSRF or compromised pod becomes an account compromise.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Network separation and hardening — network policies (block access to cloud metadata)',
      fix: 'Select the pods with an egress NetworkPolicy and add the metadata addresses the finding names (e.g. 169.254.169.254/32, '
        + '100.100.100.200/32, fd00:ec2::254/128) to the except list of every ipBlock that holds them, or allow narrower blocks.',
      constructFix: 'DefaultDenyNamespace and SecureDeployment give the pods egress policies.',
      admission: AdmissionCheck.notExpressible('reads the egress NetworkPolicies that select the pods (cross-object)'),
    });
  }

  protected judgeSet(_objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void {
    const cidrs = new CidrMemo();
    const verdicts = new Map(facts.networkPolicies.map((policy): [NetworkPolicyView, Verdict] => [policy, {
      egress: policy.egress,
      reaches: rulesOf(policy, 'egress').flatMap((rule, i) => metadataReasons(rule, cidrs).map((reason) => `NetworkPolicy ${policy.name} egress[${i}] ${reason} on TCP 80`)),
    }]));
    const all = CLOUD_METADATA_ADDRESSES.join(', ');

    for (const workload of facts.workloads) {
      const { object, pod } = workload;
      const messages: string[] = [];
      if (pod.spec.hostNetwork === true) {
        messages.push(`pods use the host network (${pod.pointer}/hostNetwork): they reach the cloud metadata addresses ${all} whatever the NetworkPolicies say`);
      } else {
        const egress = facts.networkPoliciesSelecting(workload).map((policy) => verdicts.get(policy)!).filter((p) => p.egress);
        if (egress.length === 0) {
          messages.push(`no NetworkPolicy in namespace ${object.namespace ?? '(none)'} restricts egress of its pods: they reach the cloud metadata addresses ${all}`);
        }
        for (const p of egress) messages.push(...p.reaches);
      }
      results.judge(object, messages);
    }
  }
}
