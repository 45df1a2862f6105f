import { podOf } from '../../k8s/evaluated-object';
import { PodView } from '../../k8s/pod-view';
import { PolicyObject } from '../../k8s/policy-object';
import { ConnectionQuery } from '../reachability/connection-query';

/** An object that carries a pod spec, with its position in the evaluated objects. */
export interface Workload {
  readonly object: PolicyObject;
  readonly objectIndex: number;
  readonly pod: PodView;
}

/**
 * What one evaluation knows about its objects, computed once and shared by every rule it runs: the
 * prerequisites the app declares, the objects that carry a pod spec (most rules judge only those, and most
 * objects carry none), and who can connect to whom (the reachability queries, read once for the rules that ask).
 * Made by the evaluation and dropped with it.
 * @internal
 */
export class EvaluationFacts {
  private workloadList: Workload[] | undefined;
  private connectionQuery: ConnectionQuery | undefined;

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

  /**
   * The connection queries over the objects (NetworkPolicy, CiliumNetworkPolicy and Istio layers), built on the first
   * read: the manifests are read once, whichever rules ask.
   */
  public get connections(): ConnectionQuery {
    if (this.connectionQuery === undefined) this.connectionQuery = new ConnectionQuery(this.objects.map((o) => o.manifest));
    return this.connectionQuery;
  }
}
