import { describeSelector, list, namespaceName, record } from './cluster-facts';
import { PolicyObject } from '../../../k8s/policy-object';
import { SelectorIndex } from '../../../k8s/selector-index';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { EvaluationFacts } from '../../rule-api/evaluation-facts';
import { Severity } from '../../rule-api/severity';

interface Selecting {
  readonly object: PolicyObject;
  /** What selects, for messages: `spec.selector`, `spec.podSelector`. */
  readonly field: string;
  readonly selector: any;
  matched: boolean;
}

/**
 * What names pods or workloads finds them in the set:
 *
 * - a Service's `spec.selector` (when it has one; selector-less Services, such as ExternalName Services
 *   and Services backed by EndpointSlices of their own, are fine) matches the labels of a pod template
 *   in its namespace;
 * - a NetworkPolicy's non-empty `podSelector` does (an empty one selects every pod of the namespace);
 * - a PodDisruptionBudget's `selector` does (a missing selector selects no pod at all);
 * - a HorizontalPodAutoscaler's `scaleTargetRef` names an object of the set (same namespace, kind, name
 *   and, when given, API group).
 *
 * A warning: the pods may come from another chart or tool. Pod templates are found by shape, so
 * PodTemplates and custom kinds with a pod template count.
 */
export class SelectorMatchesRule extends CrossObjectCheck {
  public constructor() {
    super({
      id: 'K8S-SELECTOR-MATCHES',
      title: 'Service, NetworkPolicy and PodDisruptionBudget selectors match pods of the set; autoscalers name objects of the set',
      rationale: 'A selector that matches nothing fails silently: a Service without endpoints, a NetworkPolicy that isolates nothing, '
        + 'a disruption budget that protects nothing, an autoscaler that scales nothing. Usually a typo or a renamed label.',
      severity: Severity.WARNING,
      standard: 'Kubernetes label selectors and object references',
      fix: 'Make the selector match the pod template labels of the intended workload (or scaleTargetRef name its kind and name); '
        + 'acknowledge it when the pods are deployed by something else.',
      admission: AdmissionCheck.notExpressible('matches selectors against the labels of other objects (cross-object)'),
    });
  }

  protected judgeSet(objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void {
    const selecting: Selecting[] = [];
    // Services and NetworkPolicies are looked up here; the budgets that select pods, once for the evaluation.
    const index = new SelectorIndex<Selecting>();
    const add = (object: PolicyObject, field: string, selector: any) => {
      const entry = { object, field, selector, matched: false };
      selecting.push(entry);
      if (object.kind !== 'PodDisruptionBudget') index.add(object.namespace, selector, entry);
    };
    const hpas: PolicyObject[] = [];
    for (const object of objects) {
      const spec = record(object.manifest.spec) ?? {};
      switch (object.kind) {
        case 'Service': {
          const selector = record(spec.selector);
          if (spec.type !== 'ExternalName' && selector && Object.keys(selector).length > 0) add(object, 'spec.selector', { matchLabels: selector });
          break;
        }
        case 'NetworkPolicy': {
          const selector = record(spec.podSelector);
          if (selector && (Object.keys(record(selector.matchLabels) ?? {}).length > 0 || list(selector.matchExpressions).length > 0)) {
            add(object, 'spec.podSelector', selector);
          }
          break;
        }
        case 'PodDisruptionBudget': {
          const selector = record(spec.selector);
          if (selector) {
            add(object, 'spec.selector', selector);
          } else {
            results.fail(object, 'has no spec.selector, so it selects no pod (a null selector selects nothing in policy/v1)');
          }
          break;
        }
        case 'HorizontalPodAutoscaler':
          hpas.push(object);
          break;
        default:
      }
    }

    const selectedBudgets = new Set<PolicyObject>();
    if (selecting.length) {
      for (const workload of facts.workloads) {
        for (const entry of index.matching(workload.object.namespace, record(workload.pod.labels) ?? {})) entry.matched = true;
        for (const budget of facts.budgetsSelecting(workload)) selectedBudgets.add(budget);
      }
    }
    for (const entry of selecting) {
      if (selectedBudgets.has(entry.object)) entry.matched = true;
      results.judge(entry.object, entry.matched ? []
        : [`${entry.field} (${describeSelector(entry.selector)}) matches no pod template in namespace ${namespaceName(entry.object.namespace)} of the set`]);
    }

    if (hpas.length) {
      const names = facts.objectsByName;
      for (const hpa of hpas) {
        const ref = record(record(hpa.manifest.spec)?.scaleTargetRef);
        const found = names.resolve(hpa.namespace, ref).length > 0;
        results.judge(hpa, found ? [] : [`spec.scaleTargetRef (${ref?.apiVersion ? `${ref.apiVersion} ` : ''}${ref?.kind ?? '(no kind)'}/${ref?.name ?? '(no name)'}) `
          + `names no object in namespace ${namespaceName(hpa.namespace)} of the set`]);
      }
    }
  }
}
