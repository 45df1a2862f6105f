import { PolicyObject } from '../../../k8s/policy-object';
import { isPlainObject } from '../../reachability/label-selector';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { EvaluationFacts } from '../../rule-api/evaluation-facts';
import { Severity } from '../../rule-api/severity';

const REPLICATED = new Set(['Deployment', 'StatefulSet']);

/** Replicated workloads have a PodDisruptionBudget (whether it allows an eviction is K8S-PDB-EVICTION's judgement). */
export class PodDisruptionBudgetRule extends CrossObjectCheck {
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

  protected judgeSet(objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void {
    // Budgets with a selector map are looked up per workload; the others cover every pod of their namespace or none.
    const everyPodCovered = new Set<string>();
    const autoscalers = new Map<string, PolicyObject>();
    for (const o of objects) {
      if (o.kind === 'PodDisruptionBudget' && coversEveryPod(o.manifest.spec?.selector)) everyPodCovered.add(o.namespace ?? '');
      const target = o.kind === 'HorizontalPodAutoscaler' ? o.manifest.spec?.scaleTargetRef : undefined;
      if (target) autoscalers.set(`${o.namespace}/${target.kind}/${target.name}`, o);
    }
    for (const workload of facts.workloads) {
      const object = workload.object;
      if (!REPLICATED.has(object.kind)) continue;
      const hpa = autoscalers.get(`${object.namespace}/${object.kind}/${object.name}`);
      const replicas: number = hpa ? (hpa.manifest.spec.minReplicas ?? 1) : (object.manifest.spec?.replicas ?? 1);
      if (replicas < 2) continue;
      const covered = everyPodCovered.has(object.namespace ?? '') || facts.budgetsSelecting(workload).length > 0;
      results.judge(object, covered ? [] : ['no PodDisruptionBudget selects its pods']);
    }
  }
}

/**
 * Whether a selector that is not a map covers every pod of the namespace: a missing one is read as `{}`, and any other
 * value sets no label condition; only `false`, `0` and `''` select nothing.
 */
function coversEveryPod(selector: unknown): boolean {
  return !isPlainObject(selector) && Boolean(selector ?? true);
}
