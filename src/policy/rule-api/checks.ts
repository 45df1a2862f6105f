import { EvaluationFacts } from './evaluation-facts';
import { PolicyRule, RuleResult } from './rule';
import { podOf } from '../../k8s/evaluated-object';
import { PodView } from '../../k8s/pod-view';
import { PolicyObject } from '../../k8s/policy-object';

/** A rule judging each object on its own: `check` returns undefined (not applicable), [] (compliant) or violations. */
export abstract class ObjectCheck extends PolicyRule {
  public evaluate(objects: PolicyObject[]): RuleResult[] {
    const results: RuleResult[] = [];
    objects.forEach((object, objectIndex) => addResults(results, objectIndex, this.check(object)));
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
    return this._evaluateWith(objects, new EvaluationFacts(objects));
  }

  /** @internal */
  public _evaluateWith(_objects: PolicyObject[], facts: EvaluationFacts): RuleResult[] {
    // Most objects carry no pod: the evaluation lists those that do once, for every pod rule.
    const results: RuleResult[] = [];
    if (!this.judgesPods()) return results;
    for (const { object, objectIndex, pod } of facts.workloads) addResults(results, objectIndex, this.checkPod(pod, object));
    return results;
  }

  /** Whether the rule judges pods at all (a rule of a Pod Security version that predates its check does not). */
  protected judgesPods(): boolean {
    return true;
  }

  protected check(object: PolicyObject): string[] | undefined {
    const pod = podOf(object);
    return pod ? this.checkPod(pod, object) : undefined;
  }

  protected abstract checkPod(pod: PodView, object: PolicyObject): string[];
}

/**
 * A rule judging the objects as one set (cross-object). Within an evaluation it judges with the facts every rule of
 * that evaluation shares (positions, workloads, selections, connection queries); evaluated on its own, with its own.
 */
export abstract class CrossObjectCheck extends PolicyRule {
  public evaluate(objects: PolicyObject[]): RuleResult[] {
    return this._evaluateWith(objects, new EvaluationFacts(objects));
  }

  /** @internal */
  public _evaluateWith(objects: PolicyObject[], facts: EvaluationFacts): RuleResult[] {
    const results = new RuleResults(facts);
    this.judgeSet(objects, results, facts);
    return results.list;
  }

  /** Adds the verdicts on the objects (those it applies to) to the results. */
  protected abstract judgeSet(objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void;
}

function addResults(results: RuleResult[], objectIndex: number, violations: string[] | undefined): void {
  if (violations === undefined) return;
  if (violations.length === 0) results.push({ objectIndex, compliant: true });
  for (const message of violations) results.push({ objectIndex, compliant: false, message });
}

/**
 * The results of a cross-object rule, built from the objects it judges: each result names its object by
 * position in the set the rule was given.
 */
export class RuleResults {
  public readonly list: RuleResult[] = [];

  /** Results over the objects of the facts (whose positions every rule of the evaluation shares). */
  constructor(private readonly facts: EvaluationFacts) {}

  /** Compliant when there are no messages, one failure per message otherwise. */
  public judge(object: PolicyObject, messages: string[]): void {
    addResults(this.list, this.indexOf(object), messages);
  }

  public pass(object: PolicyObject): void {
    this.list.push({ objectIndex: this.indexOf(object), compliant: true });
  }

  public fail(object: PolicyObject, message: string): void {
    this.list.push({ objectIndex: this.indexOf(object), compliant: false, message });
  }

  private indexOf(object: PolicyObject): number {
    const index = this.facts.positionOf(object);
    if (index === undefined) throw new Error(`a rule judged ${object.kind}/${object.name}, which is not one of the objects it was given`);
    return index;
  }
}
