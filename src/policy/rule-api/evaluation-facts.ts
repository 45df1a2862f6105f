import { autoscalersByTarget, ObjectsByName } from './scale-targets';
import { podOf } from '../../k8s/evaluated-object';
import { indexNetworkPolicies, NetworkPolicyView } from '../../k8s/network-policy';
import { PodView } from '../../k8s/pod-view';
import { PolicyObject } from '../../k8s/policy-object';
import { SelectorIndex } from '../../k8s/selector-index';
import { ConnectionQuery } from '../reachability/connection-query';
import { isPlainObject } from '../reachability/label-selector';

/** An object that carries a pod spec, with its position in the evaluated objects. */
export interface Workload {
  readonly object: PolicyObject;
  readonly objectIndex: number;
  readonly pod: PodView;
}

/** The Kubernetes NetworkPolicies of the objects, in order, and which of them select the pods of each workload. */
interface NetworkPolicies {
  readonly policies: NetworkPolicyView[];
  readonly index: SelectorIndex<NetworkPolicyView>;
  readonly selecting: Map<Workload, NetworkPolicyView[]>;
}

/**
 * What one evaluation knows about its objects, computed once and shared by every rule it runs: the
 * prerequisites the app declares, the position of each object, the objects that carry a pod spec (most rules
 * judge only those, and most objects carry none), which NetworkPolicies and PodDisruptionBudgets select the pods
 * of each, which objects the HorizontalPodAutoscalers scale, who can connect to whom (the reachability queries),
 * and what a family of rules derives alike. Each is computed on the first read. Made by the evaluation and dropped
 * with it.
 * @internal
 */
export class EvaluationFacts {
  private workloadList: Workload[] | undefined;
  private connectionQuery: ConnectionQuery | undefined;
  private positions: Map<PolicyObject, number> | undefined;
  private networkPolicyFacts: NetworkPolicies | undefined;
  private budgets: Map<Workload, PolicyObject[]> | undefined;
  private names: ObjectsByName | undefined;
  private autoscalers: Map<PolicyObject, PolicyObject[]> | undefined;
  private readonly derivedFacts = new Map<(objects: PolicyObject[]) => unknown, unknown>();

  constructor(public readonly objects: PolicyObject[], public readonly prerequisites: PolicyObject[] = []) {}

  /** The objects that carry a pod spec, in order. */
  public get workloads(): Workload[] {
    if (this.workloadList === undefined) {
      const workloads: Workload[] = [];
      this.objects.forEach((object, objectIndex) => {
        const pod = podOf(object);
        if (pod) workloads.push({ object, objectIndex, pod });
      });
      this.workloadList = workloads;
    }
    return this.workloadList;
  }

  /** The position of an object in `objects`, or undefined for an object that is not one of them. */
  public positionOf(object: PolicyObject): number | undefined {
    if (this.positions === undefined) this.positions = new Map(this.objects.map((o, i) => [o, i]));
    return this.positions.get(object);
  }

  /** The Kubernetes NetworkPolicies of the objects, in order. */
  public get networkPolicies(): NetworkPolicyView[] {
    return this.readNetworkPolicies().policies;
  }

  /** The Kubernetes NetworkPolicies that select the pods of a workload (one of `workloads`). */
  public networkPoliciesSelecting(workload: Workload): NetworkPolicyView[] {
    const { index, selecting } = this.readNetworkPolicies();
    let found = selecting.get(workload);
    if (found === undefined) selecting.set(workload, found = index.matching(workload.object.namespace, workload.pod.labels));
    return found;
  }

  /**
   * The PodDisruptionBudgets whose selector, a map, selects the pods of a workload (one of `workloads`). Budgets
   * without one are left out: a null selector selects no pod in policy/v1.
   */
  public budgetsSelecting(workload: Workload): PolicyObject[] {
    if (this.budgets === undefined) this.budgets = this.selectBudgets();
    return this.budgets.get(workload) ?? [];
  }

  /** The objects by namespace, kind and name that the `scaleTargetRef` of a HorizontalPodAutoscaler can name. */
  public get objectsByName(): ObjectsByName {
    if (this.names === undefined) this.names = new ObjectsByName(this.objects);
    return this.names;
  }

  /** The HorizontalPodAutoscalers, by the object each one scales. */
  public get autoscalersByTarget(): Map<PolicyObject, PolicyObject[]> {
    if (this.autoscalers === undefined) this.autoscalers = autoscalersByTarget(this.objects, this.objectsByName);
    return this.autoscalers;
  }

  /**
   * What `derive` reads from the objects: computed on the first call, then shared by every rule of the evaluation that
   * passes the same function (for what a family of rules reads alike, such as the aggregated ClusterRoles).
   */
  public derived<T>(derive: (objects: PolicyObject[]) => T): T {
    if (!this.derivedFacts.has(derive)) this.derivedFacts.set(derive, derive(this.objects));
    return this.derivedFacts.get(derive) as T;
  }

  /**
   * The connection queries over the objects (NetworkPolicy, CiliumNetworkPolicy and Istio layers), built on the first
   * read: the manifests are read once, whichever rules ask.
   */
  public get connections(): ConnectionQuery {
    if (this.connectionQuery === undefined) this.connectionQuery = new ConnectionQuery(this.objects.map((o) => o.manifest));
    return this.connectionQuery;
  }

  private readNetworkPolicies(): NetworkPolicies {
    if (this.networkPolicyFacts === undefined) this.networkPolicyFacts = { ...indexNetworkPolicies(this.objects), selecting: new Map() };
    return this.networkPolicyFacts;
  }

  private selectBudgets(): Map<Workload, PolicyObject[]> {
    const index = new SelectorIndex<PolicyObject>();
    let indexed = 0;
    for (const object of this.objects) {
      if (object.kind !== 'PodDisruptionBudget') continue;
      const spec = object.manifest.spec;
      const selector = isPlainObject(spec) ? spec.selector : undefined;
      if (!isPlainObject(selector)) continue;
      index.add(object.namespace, selector, object);
      indexed++;
    }
    const selected = new Map<Workload, PolicyObject[]>();
    if (indexed === 0) return selected;
    for (const workload of this.workloads) {
      const labels = workload.pod.labels;
      const budgets = index.matching(workload.object.namespace, isPlainObject(labels) ? labels : {});
      if (budgets.length > 0) selected.set(workload, budgets);
    }
    return selected;
  }
}
