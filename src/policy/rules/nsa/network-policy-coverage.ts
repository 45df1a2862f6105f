import { podViewOf } from '../../pod-view';
import { PolicyObject } from '../../policy-object';
import { PolicyRule, RuleResult } from '../../rule';
import { SelectorIndex } from '../../selector-index';
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
    const policies = new SelectorIndex<{ ingress: boolean; egress: boolean }>();
    for (const o of objects) {
      if (o.kind !== 'NetworkPolicy') continue;
      const spec = o.manifest.spec ?? {};
      const types: string[] = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
      // An empty pod selector selects every pod of its namespace.
      policies.add(o.namespace, spec.podSelector ?? {}, { ingress: types.includes('Ingress'), egress: types.includes('Egress') });
    }
    const results: RuleResult[] = [];
    for (const object of objects) {
      const pod = podViewOf(object.manifest);
      if (!pod) continue;
      const covering = policies.matching(object.namespace, pod.labels);
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

