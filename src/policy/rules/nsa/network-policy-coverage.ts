import { CidrMemo, describePorts, Direction, NetworkPolicyView, openReasons, rulesOf } from '../../../k8s/network-policy';
import { PolicyObject } from '../../../k8s/policy-object';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { EvaluationFacts } from '../../rule-api/evaluation-facts';
import { Severity } from '../../rule-api/severity';

/** What one NetworkPolicy does to the pods it selects, judged once. */
interface Verdict {
  readonly ingress: boolean;
  readonly egress: boolean;
  /** One message per rule (and reason) that admits every source. */
  readonly openIngress: string[];
  /** One message per rule (and reason) that admits every destination. */
  readonly openEgress: string[];
}

/**
 * Every workload's ingress and egress are actually restricted by Kubernetes NetworkPolicies (not merely
 * selected by one).
 *
 * Policies are additive: a pod may receive (send) whatever any policy selecting it allows. So a pod's ingress
 * is restricted iff
 * - at least one NetworkPolicy in its namespace selects it (podSelector; `{}` selects every pod) with Ingress
 *   among its effective policyTypes (listed types, or by default Ingress plus Egress when it has egress rules), and
 * - no selecting policy with Ingress has an ingress rule that admits everything: `from` missing or empty
 *   (`ingress: [{}]`, `from: []`), a peer `namespaceSelector: {}` with no podSelector or `podSelector: {}` (every
 *   pod of every namespace; selectors with only NotIn / DoesNotExist terms, or Exists on
 *   `kubernetes.io/metadata.name`, count as `{}`), or ipBlocks covering every IPv4 or IPv6 address (`0.0.0.0/0`,
 *   `::/0`, or pieces like `0.0.0.0/1` + `128.0.0.0/1`, whatever they except).
 *
 * Egress likewise with `to`, except for ipBlocks covering every address: they admit everything unless they
 * except the internal ranges (10/8, 172.16/12, 192.168/16, 100.64/10, 169.254/16, fc00::/7, fe80::/10, which
 * also hold the cloud metadata addresses); a rule to public addresses only is how a NetworkPolicy says "the
 * internet" and is accepted (NSA-METADATA-EGRESS judges metadata reach on its own).
 *
 * Ports do not narrow "everything": a rule open to everyone on some ports is still a finding, and the message
 * names the ports. Pods on the host network are never restricted by NetworkPolicies. Only
 * `networking.k8s.io` NetworkPolicies are read (Calico's or Cilium's own policies are not: acknowledge the
 * finding where they isolate the pods).
 */
export class NetworkPolicyCoverageRule extends CrossObjectCheck {
  public constructor() {
    super({
      id: 'NSA-NETWORK-POLICY',
      title: 'Every workload is isolated by ingress and egress NetworkPolicies, and no policy selecting it admits everyone',
      rationale: 'Without NetworkPolicies, or with one that admits every source or destination, every pod can reach every other pod, so one compromise spreads (lateral movement, exfiltration).',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Network separation and hardening — network policies',
      fix: 'Select the pods with a NetworkPolicy with policyTypes Ingress and Egress, and name the peers of every rule: no empty from/to, '
        + 'no namespaceSelector {} alone, no 0.0.0.0/0.',
      constructFix: 'SecureDeployment and DefaultDenyNamespace create such policies.',
      admission: AdmissionCheck.notExpressible('reads every NetworkPolicy that selects the pods (cross-object)'),
    });
  }

  protected judgeSet(_objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void {
    const cidrs = new CidrMemo();
    const open = (policyName: string, rules: any[], direction: Direction) => rules.flatMap((rule, i) =>
      openReasons(rule, direction, cidrs).map((reason) => `NetworkPolicy ${policyName} ${direction}[${i}] ${reason} ${describePorts(rule?.ports)}`));
    const verdicts = new Map(facts.networkPolicies.map((policy): [NetworkPolicyView, Verdict] => [policy, {
      ingress: policy.ingress,
      egress: policy.egress,
      openIngress: open(policy.name, rulesOf(policy, 'ingress'), 'ingress'),
      openEgress: open(policy.name, rulesOf(policy, 'egress'), 'egress'),
    }]));

    for (const workload of facts.workloads) {
      const { object, pod } = workload;
      const messages: string[] = [];
      if (pod.spec.hostNetwork === true) {
        messages.push(`pods use the host network (${pod.pointer}/hostNetwork): NetworkPolicies do not restrict their ingress or egress`);
      }
      const selecting = facts.networkPoliciesSelecting(workload).map((policy) => verdicts.get(policy)!);
      const ingress = selecting.filter((p) => p.ingress);
      const egress = selecting.filter((p) => p.egress);
      const missing = [ingress.length ? undefined : 'ingress', egress.length ? undefined : 'egress'].filter(Boolean);
      if (missing.length) messages.push(`no NetworkPolicy in namespace ${object.namespace ?? '(none)'} restricts ${missing.join(' or ')} of its pods`);
      for (const p of ingress) messages.push(...p.openIngress);
      for (const p of egress) messages.push(...p.openEgress);
      results.judge(object, messages);
    }
  }
}
