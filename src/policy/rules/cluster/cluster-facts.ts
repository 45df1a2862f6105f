// What the cross-object rules of the cluster-fit pack need to know about a set of objects, the way the
// API server and the controllers see them: replica counts, which HorizontalPodAutoscaler scales which
// object, selectors and objects in words (the pods each selector selects come from EvaluationFacts). Indexes are built once per evaluation and are linear in
// the number of objects. Nothing here is cached between evaluations.

import { describeObject, PolicyObject } from '../../../k8s/policy-object';

/** Kinds whose replica count is `spec.replicas`, defaulting to 1, and that have a scale subresource. */
const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/**
 * Kinds that control pods but have no scale subresource: the disruption controller cannot compute their
 * expected pod count (only an integer minAvailable works for their pods), and their pod count is not a
 * replica count (one per node, or a Job's parallelism).
 */
export const UNSCALABLE_KINDS = new Set(['DaemonSet', 'Job', 'CronJob']);

/** A plain JSON object, or undefined for anything else (arrays, strings, null). */
export function record(value: unknown): { [key: string]: any } | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as { [key: string]: any } : undefined;
}

/** An array, or an empty one for anything else. */
export function list(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** A whole number ≥ 0, or undefined. */
export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** The namespace as shown in messages. */
export function namespaceName(namespace: string | undefined): string {
  return namespace ?? '(no namespace)';
}

/** `Kind/namespace/name` of several objects, at most `max` of them. */
export function describeObjects(objects: PolicyObject[], max: number = 3): string {
  const shown = objects.slice(0, max).map(describeObject).join(', ');
  return objects.length > max ? `${shown} and ${objects.length - max} more` : shown;
}

/** A label selector written out: `app=web, tier in (a, b), !legacy`; `{}` is `empty: every pod`. */
export function describeSelector(selector: unknown): string {
  const s = record(selector) ?? {};
  const parts = Object.entries(record(s.matchLabels) ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of list(s.matchExpressions)) {
    const values = list(e?.values).join(', ');
    switch (e?.operator) {
      case 'In': parts.push(`${e.key} in (${values})`); break;
      case 'NotIn': parts.push(`${e.key} notin (${values})`); break;
      case 'Exists': parts.push(`${e.key}`); break;
      case 'DoesNotExist': parts.push(`!${e.key}`); break;
      default: parts.push(`${e?.key} ${e?.operator} (${values})`);
    }
  }
  return parts.length ? parts.join(', ') : 'empty: every pod';
}

/** The minReplicas of an autoscaler (default 1). */
export function minReplicasOf(hpa: PolicyObject): number {
  return count(record(hpa.manifest.spec)?.minReplicas) ?? 1;
}

/** How many pods an object runs when it is fully up, and where the number comes from. */
export interface ReplicaCount {
  /** The number of pods, or undefined when the set does not tell (DaemonSet, Job, a custom kind without replicas). */
  readonly pods?: number;
  /** Where the number comes from, for messages, e.g. `2 replicas` or `HorizontalPodAutoscaler shop/web minReplicas 2`. */
  readonly source: string;
  /** Whether it is a DaemonSet, Job or CronJob: a controller whose scale the disruption controller cannot read. */
  readonly noScaleSubresource: boolean;
  /**
   * Whether the count is an autoscaler's minReplicas (the smallest steady scale, not the only one).
   * @default false
   */
  readonly autoscaled?: boolean;
}

/**
 * The pods an object with a pod template runs at its smallest steady scale: an autoscaler's minReplicas
 * when one scales it, else `spec.replicas` (1 when absent on Deployment, StatefulSet, ReplicaSet and
 * ReplicationController); 1 for a bare Pod; none for a PodTemplate; unknown for DaemonSet, Job and CronJob
 * and for custom kinds without a numeric `spec.replicas`.
 */
export function replicaCount(object: PolicyObject, autoscalers: PolicyObject[] | undefined): ReplicaCount {
  if (object.kind === 'Pod') return { pods: 1, source: 'a bare pod', noScaleSubresource: false };
  if (object.kind === 'PodTemplate') return { pods: 0, source: 'a PodTemplate runs no pods', noScaleSubresource: false };
  if (UNSCALABLE_KINDS.has(object.kind)) return { source: `a ${object.kind} has no replica count`, noScaleSubresource: true };
  const hpa = autoscalers?.[0];
  if (hpa) return { pods: minReplicasOf(hpa), source: `${describeObject(hpa)} minReplicas ${minReplicasOf(hpa)}`, noScaleSubresource: false, autoscaled: true };
  const raw = record(object.manifest.spec)?.replicas;
  const replicas = count(raw);
  if (replicas !== undefined) return { pods: replicas, source: `${replicas} ${replicas === 1 ? 'replica' : 'replicas'}`, noScaleSubresource: false };
  if (raw !== undefined && raw !== null) return { source: `spec.replicas ${JSON.stringify(raw)} is not a count`, noScaleSubresource: false };
  if (REPLICATED_KINDS.has(object.kind)) return { pods: 1, source: '1 replica (spec.replicas defaults to 1)', noScaleSubresource: false };
  return { source: `${object.kind} sets no spec.replicas`, noScaleSubresource: false };
}
