import { describeObjects, minReplicasOf, record } from './cluster-facts';
import { describeObject, PolicyObject } from '../../../k8s/policy-object';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { EvaluationFacts } from '../../rule-api/evaluation-facts';
import { Severity } from '../../rule-api/severity';

/**
 * An object a HorizontalPodAutoscaler scales leaves its replica count to the autoscaler, and autoscalers
 * are valid and alone on their target:
 *
 * - the target (any object a `scaleTargetRef` names in the set: Deployment, StatefulSet, ReplicaSet, a
 *   custom kind) sets no `spec.replicas`: every apply would reset the scale to that number;
 * - `minReplicas` (default 1) is at most `maxReplicas`, and `maxReplicas` is at least 1 (the API server
 *   refuses the autoscaler otherwise);
 * - one autoscaler per target: with two, the controller refuses to scale (AmbiguousSelector).
 */
export class HpaReplicasRule extends CrossObjectCheck {
  public constructor() {
    super({
      id: 'K8S-HPA-REPLICAS',
      title: 'Autoscaled objects leave spec.replicas to their HorizontalPodAutoscaler, which is valid and alone on its target',
      rationale: 'A spec.replicas beside an autoscaler resets the scale on every apply (a deploy at peak load drops to the fixed '
        + 'count); an autoscaler with minReplicas above maxReplicas is refused, and two autoscalers on one target stop scaling it.',
      severity: Severity.ERROR,
      standard: 'Kubernetes HorizontalPodAutoscaler: scaleTargetRef, minReplicas, maxReplicas',
      fix: 'Remove spec.replicas from the autoscaled object; keep minReplicas ≤ maxReplicas; scale each object with one HorizontalPodAutoscaler.',
      constructFix: 'SecureDeployment with autoscaling leaves replicas out.',
      admission: AdmissionCheck.notExpressible('compares a workload with the HorizontalPodAutoscaler that targets it (cross-object)'),
    });
  }

  protected judgeSet(objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void {
    const autoscalers = facts.autoscalersByTarget;
    const sharing = new Map<PolicyObject, PolicyObject[]>();
    for (const [target, hpas] of autoscalers) {
      if (hpas.length > 1) for (const hpa of hpas) sharing.set(hpa, [...(sharing.get(hpa) ?? []), target]);
    }

    for (const object of objects) {
      if (object.kind !== 'HorizontalPodAutoscaler') continue;
      const spec = record(object.manifest.spec) ?? {};
      const problems: string[] = [];
      const min = minReplicasOf(object);
      if (typeof spec.maxReplicas === 'number') {
        if (spec.maxReplicas < 1) problems.push(`maxReplicas is ${spec.maxReplicas}: the API server refuses it (at least 1)`);
        else if (min > spec.maxReplicas) problems.push(`minReplicas ${min} is greater than maxReplicas ${spec.maxReplicas}: the API server refuses it`);
      }
      for (const target of sharing.get(object) ?? []) {
        const others = autoscalers.get(target)!.filter((h) => h !== object);
        problems.push(`${describeObject(target)} is also scaled by ${describeObjects(others)}: `
          + 'the autoscaler controller refuses to scale pods targeted by several autoscalers (AmbiguousSelector)');
      }
      results.judge(object, problems);
    }

    for (const [target, hpas] of autoscalers) {
      const replicas = record(target.manifest.spec)?.replicas;
      if (replicas === undefined || replicas === null) {
        results.pass(target);
        continue;
      }
      const hpa = hpas[0];
      const max = record(hpa.manifest.spec)?.maxReplicas;
      results.fail(target, `sets spec.replicas ${JSON.stringify(replicas)} while ${describeObject(hpa)} scales it `
        + `(minReplicas ${minReplicasOf(hpa)}, maxReplicas ${JSON.stringify(max)}): every apply resets the scale to ${JSON.stringify(replicas)}`);
    }
  }
}
