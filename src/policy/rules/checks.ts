import { PodView, podViewOf, WORKLOAD_KINDS } from '../pod-view';
import { PolicyObject } from '../policy-object';
import { PolicyRule, RuleResult } from '../rule';

/** A rule judging each object on its own: `check` returns undefined (not applicable), [] (compliant) or violations. */
export abstract class ObjectCheck extends PolicyRule {
  public evaluate(objects: PolicyObject[]): RuleResult[] {
    const results: RuleResult[] = [];
    for (const object of objects) {
      const violations = this.check(object);
      if (violations === undefined) continue;
      if (violations.length === 0) results.push({ object, compliant: true });
      for (const message of violations) results.push({ object, compliant: false, message });
    }
    return results;
  }

  protected abstract check(object: PolicyObject): string[] | undefined;
}

/** A rule judging the pod spec of every workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob). */
export abstract class PodCheck extends ObjectCheck {
  public evaluate(objects: PolicyObject[]): RuleResult[] {
    // Most objects are not workloads: skip them before any per-object work.
    return super.evaluate(objects.filter((object) => WORKLOAD_KINDS.has(object.kind)));
  }

  protected check(object: PolicyObject): string[] | undefined {
    const pod = podViewOf(object.manifest);
    return pod ? this.checkPod(pod, object) : undefined;
  }

  protected abstract checkPod(pod: PodView, object: PolicyObject): string[];
}
