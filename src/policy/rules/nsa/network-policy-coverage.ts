import { podViewOf, selects } from '../../pod-view';
import { PolicyObject } from '../../policy-object';
import { PolicyRule, RuleResult } from '../../rule';
import { Severity } from '../../severity';

/** Every workload is selected by a NetworkPolicy for ingress and one for egress. */
export class NetworkPolicyCoverageRule extends PolicyRule {
  public constructor() {
    super({
      id: 'NSA-NETWORK-POLICY',
      title: 'Every workload is isolated by ingress and egress NetworkPolicies',
      rationale: 'Without NetworkPolicies every pod can reach every other pod, so one compromise spreads (lateral movement, exfiltration).',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Network separation and hardening — network policies',
      fix: 'Add a NetworkPolicy selecting the pods with policyTypes Ingress and Egress (SecureDeployment and DefaultDenyNamespace do this).',
    });
  }

  public evaluate(objects: PolicyObject[]): RuleResult[] {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => {
      const spec = o.manifest.spec ?? {};
      const types: string[] = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
      return { namespace: o.namespace, selector: spec.podSelector ?? {}, ingress: types.includes('Ingress'), egress: types.includes('Egress') };
    });
    const results: RuleResult[] = [];
    for (const object of objects) {
      const pod = podViewOf(object.manifest);
      if (!pod) continue;
      // An empty pod selector selects every pod of its namespace.
      const covering = policies.filter((p) => p.namespace === object.namespace && selects(p.selector, pod.labels));
      const missing = [covering.some((p) => p.ingress) ? undefined : 'ingress', covering.some((p) => p.egress) ? undefined : 'egress'].filter(Boolean);
      results.push({
        object,
        compliant: missing.length === 0,
        message: missing.length ? `no NetworkPolicy in namespace ${object.namespace ?? '(none)'} restricts ${missing.join(' or ')} of its pods` : undefined,
      });
    }
    return results;
  }
}

