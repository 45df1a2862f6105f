import { PodView, podViewOf } from '../../k8s/pod-view';
import { PolicyObject } from '../../k8s/policy-object';
import { PolicyRule, RuleResult } from '../rule';

/** A rule judging each object on its own: `check` returns undefined (not applicable), [] (compliant) or violations. */
export abstract class ObjectCheck extends PolicyRule {
  public evaluate(objects: PolicyObject[]): RuleResult[] {
    const results: RuleResult[] = [];
    for (const object of objects) addResults(results, object, this.check(object));
    return results;
  }

  protected abstract check(object: PolicyObject): string[] | undefined;
}

/**
 * A rule judging the pod spec of every object that carries one (found by shape: Pods, every built-in
 * workload, PodTemplates, and custom workloads such as Argo Rollouts).
 */
export abstract class PodCheck extends ObjectCheck {
  public evaluate(objects: PolicyObject[]): RuleResult[] {
    // Most objects carry no pod: skip them here rather than through check() for each rule.
    const results: RuleResult[] = [];
    for (const object of objects) {
      const pod = podViewOf(object.manifest);
      if (pod) addResults(results, object, this.checkPod(pod, object));
    }
    return results;
  }

  protected check(object: PolicyObject): string[] | undefined {
    const pod = podViewOf(object.manifest);
    return pod ? this.checkPod(pod, object) : undefined;
  }

  protected abstract checkPod(pod: PodView, object: PolicyObject): string[];
}

function addResults(results: RuleResult[], object: PolicyObject, violations: string[] | undefined): void {
  if (violations === undefined) return;
  if (violations.length === 0) results.push({ object, compliant: true });
  for (const message of violations) results.push({ object, compliant: false, message });
}
