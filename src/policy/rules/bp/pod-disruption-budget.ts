import { podOf } from '../../../k8s/evaluated-object';
import { PolicyObject } from '../../../k8s/policy-object';
import { SelectorIndex } from '../../../k8s/selector-index';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { RuleResults } from '../../rule-api/checks';
import { PolicyRule, RuleResult } from '../../rule-api/rule';
import { Severity } from '../../rule-api/severity';

const REPLICATED = new Set(['Deployment', 'StatefulSet']);

/** Replicated workloads have a PodDisruptionBudget (whether it allows an eviction is K8S-PDB-EVICTION's judgement). */
export class PodDisruptionBudgetRule extends PolicyRule {
  public constructor() {
    super({
      id: 'BP-PDB',
      title: 'Replicated workloads have a PodDisruptionBudget',
      rationale: 'Without a disruption budget a node drain can take down every replica at once.',
      severity: Severity.WARNING,
      standard: 'Best practice: availability during voluntary disruptions (also Polaris missingPodDisruptionBudget)',
      fix: 'Add a PodDisruptionBudget selecting the pods with maxUnavailable: 1 (or minAvailable below the replica count / HPA minimum).',
      constructFix: 'SecureDeployment creates one.',
      admission: AdmissionCheck.notExpressible('looks for the PodDisruptionBudget that selects the pods (cross-object)'),
    });
  }

  public evaluate(objects: PolicyObject[]): RuleResult[] {
    const budgets = new SelectorIndex<PolicyObject>();
    const autoscalers = new Map<string, PolicyObject>();
    for (const o of objects) {
      if (o.kind === 'PodDisruptionBudget') budgets.add(o.namespace, o.manifest.spec?.selector, o);
      const target = o.kind === 'HorizontalPodAutoscaler' ? o.manifest.spec?.scaleTargetRef : undefined;
      if (target) autoscalers.set(`${o.namespace}/${target.kind}/${target.name}`, o);
    }
    const results = new RuleResults(objects);
    for (const object of objects) {
      if (!REPLICATED.has(object.kind)) continue;
      const pod = podOf(object);
      const hpa = autoscalers.get(`${object.namespace}/${object.kind}/${object.name}`);
      const replicas: number = hpa ? (hpa.manifest.spec.minReplicas ?? 1) : (object.manifest.spec?.replicas ?? 1);
      if (!pod || replicas < 2) continue;
      const covered = budgets.matching(object.namespace, pod.labels).length > 0;
      results.judge(object, covered ? [] : ['no PodDisruptionBudget selects its pods']);
    }
    return results.list;
  }
}
