import { describeObjects, record, replicaCount, ReplicaCount } from './cluster-facts';
import { describeObject, PolicyObject } from '../../../k8s/policy-object';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { EvaluationFacts } from '../../rule-api/evaluation-facts';
import { Severity } from '../../rule-api/severity';

interface Budget {
  readonly object: PolicyObject;
  readonly selected: Array<{ object: PolicyObject; count: ReplicaCount }>;
}

/** `"25%"` → 25; undefined for anything that is not a whole percentage. */
function percent(value: unknown): number | undefined {
  const match = typeof value === 'string' ? /^([0-9]+)%$/.exec(value) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * PodDisruptionBudgets allow at least one eviction when the pods they select are all healthy, computed as
 * the disruption controller computes it:
 *
 * - `maxUnavailable: 0` or `"0%"`, and `minAvailable: "100%"`, never allow one, whatever the pods;
 * - an integer `minAvailable` at or above the pods of the workloads the budget selects (replicas; an
 *   autoscaled workload counted at its HorizontalPodAutoscaler's minReplicas), e.g. minAvailable 1 over a
 *   1-replica Deployment;
 * - a percentage `minAvailable` that rounds up to every expected pod (`"90%"` of 3 is 3);
 * - `maxUnavailable` or a percentage `minAvailable` over the pods of a DaemonSet, Job or CronJob: these
 *   have no scale subresource, the controller cannot compute the expected pod count and keeps
 *   disruptionsAllowed at 0.
 *
 * Workloads whose pod count the set does not tell (a DaemonSet's pods for an integer minAvailable, a
 * custom kind without `spec.replicas`) make the count unknown: the budget is then judged only by the
 * rules that hold whatever the count. Budgets selecting no pod of the set are left to K8S-SELECTOR-MATCHES.
 */
export class PdbEvictionRule extends CrossObjectCheck {
  public constructor() {
    super({
      id: 'K8S-PDB-EVICTION',
      title: 'PodDisruptionBudgets allow at least one eviction when all their pods are healthy',
      rationale: 'A budget that allows no eviction blocks every node drain (cluster upgrades, autoscaler scale-down) on the nodes '
        + 'running its pods, until someone deletes the budget by hand.',
      severity: Severity.ERROR,
      standard: 'Kubernetes disruption controller: disruptionsAllowed = healthy pods − desired healthy pods',
      fix: 'Use maxUnavailable: 1 (it follows the replica count), or a minAvailable below the number of pods (the autoscaler\'s '
        + 'minReplicas when one scales the workload); use an integer minAvailable for DaemonSet and Job pods.',
      admission: AdmissionCheck.notExpressible('compares a PodDisruptionBudget with the replicas of the workloads it selects (cross-object)'),
    });
  }

  protected judgeSet(objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void {
    const autoscalers = facts.autoscalersByTarget;
    const budgets = new Map<PolicyObject, Budget>();
    for (const object of objects) {
      if (object.kind === 'PodDisruptionBudget') budgets.set(object, { object, selected: [] });
    }
    if (budgets.size === 0) return;
    for (const workload of facts.workloads) {
      for (const budget of facts.budgetsSelecting(workload)) {
        budgets.get(budget)!.selected.push({ object: workload.object, count: replicaCount(workload.object, autoscalers.get(workload.object)) });
      }
    }

    for (const budget of budgets.values()) {
      const verdict = judge(budget);
      if (verdict === undefined) continue;
      results.judge(budget.object, verdict === '' ? [] : [verdict]);
    }
  }
}

const NEVER = 'so it never allows an eviction and blocks every drain of a node running its pods';
const NOT_AT_MIN = 'so it allows no eviction while the autoscaler runs minReplicas, and blocks drains of the nodes running its pods';

/** '' when the budget allows an eviction, the problem when it does not, undefined when the set cannot tell. */
function judge(budget: Budget): string | undefined {
  const spec = record(budget.object.manifest.spec) ?? {};
  const selected = budget.selected;
  const pods = () => describePods(selected);
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    if (spec.maxUnavailable === 0 || percent(spec.maxUnavailable) === 0) {
      return `maxUnavailable is ${JSON.stringify(spec.maxUnavailable)}, ${NEVER}${selected.length ? ` (${pods()})` : ''}`;
    }
    return unscalable(selected, `maxUnavailable ${JSON.stringify(spec.maxUnavailable)}`) ?? (selected.length ? '' : undefined);
  }
  const min = spec.minAvailable;
  if (min === undefined || min === null) return selected.length ? '' : undefined;
  const minPercent = percent(min);
  if (minPercent !== undefined) {
    if (minPercent >= 100) return `minAvailable is ${JSON.stringify(min)}, ${NEVER}${selected.length ? ` (${pods()})` : ''}`;
    const problem = unscalable(selected, `minAvailable ${JSON.stringify(min)} (a percentage)`);
    if (problem) return problem;
    // The expected count is the scale of the pods' controllers; bare pods have none and are left out.
    const scaled = selected.filter((s) => s.object.kind !== 'Pod');
    const expected = total(scaled);
    if (expected === undefined || expected === 0) return selected.length && expected !== undefined ? '' : undefined;
    const desired = Math.ceil((minPercent * expected) / 100);
    return desired >= expected ? `minAvailable ${JSON.stringify(min)} of ${expected} expected pods rounds up to ${desired}, ${never(scaled)} (${pods()})` : '';
  }
  if (typeof min !== 'number' || !Number.isInteger(min)) return undefined;
  const expected = total(selected);
  if (expected === undefined || expected === 0 || selected.length === 0) return selected.length && expected !== undefined ? '' : undefined;
  return min >= expected ? `minAvailable ${min} is not below the ${expected} ${expected === 1 ? 'pod' : 'pods'} it selects, ${never(selected)} (${pods()})` : '';
}

/** The finding for budgets that need the controllers' scale over pods of a DaemonSet, Job or CronJob. */
function unscalable(selected: Budget['selected'], setting: string): string | undefined {
  const without = selected.filter((s) => s.count.noScaleSubresource).map((s) => s.object);
  if (without.length === 0) return undefined;
  return `${setting} needs the scale of the pods' controller, but it selects pods of ${describeObjects(without)}, without a scale subresource: `
    + `the disruption controller cannot compute the expected pods and keeps disruptionsAllowed at 0, ${NEVER}`;
}

function never(selected: Budget['selected']): string {
  return selected.some((s) => s.count.autoscaled) ? NOT_AT_MIN : NEVER;
}

function total(selected: Budget['selected']): number | undefined {
  let sum = 0;
  for (const s of selected) {
    if (s.count.pods === undefined) return undefined;
    sum += s.count.pods;
  }
  return sum;
}

function describePods(selected: Budget['selected']): string {
  const shown = selected.slice(0, 3).map((s) => `${describeObject(s.object)}: ${s.count.source}`).join('; ');
  return selected.length > 3 ? `${shown}; and ${selected.length - 3} more` : shown;
}
