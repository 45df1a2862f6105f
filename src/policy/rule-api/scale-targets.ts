// Which object each HorizontalPodAutoscaler of a set scales: its scaleTargetRef resolved by namespace, kind, name and
// (when given) API group, as the autoscaler controller resolves it.
import { PolicyObject } from '../../k8s/policy-object';
import { isPlainObject } from '../reachability/label-selector';

/** A plain JSON object, or undefined for anything else (arrays, strings, null). */
function record(value: unknown): { [key: string]: any } | undefined {
  return isPlainObject(value) ? value : undefined;
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → ``). */
function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string' || apiVersion === '') return undefined;
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** Objects by namespace, kind and name, for the references (`scaleTargetRef`) of HorizontalPodAutoscalers. */
export class ObjectsByName {
  private readonly byKey = new Map<string, PolicyObject[]>();

  /** Indexes the objects of the kinds that the autoscalers among them name. */
  public constructor(objects: PolicyObject[]) {
    // Only objects of a kind some autoscaler names can be resolved: index those alone.
    const kinds = new Set<unknown>();
    for (const o of objects) if (o.kind === 'HorizontalPodAutoscaler') kinds.add(record(record(o.manifest.spec)?.scaleTargetRef)?.kind);
    if (kinds.size === 0) return;
    for (const o of objects) {
      if (!kinds.has(o.kind)) continue;
      const key = objectKey(o.namespace, o.kind, o.name);
      const found = this.byKey.get(key);
      if (found) found.push(o);
      else this.byKey.set(key, [o]);
    }
  }

  /** The objects a `scaleTargetRef` (kind, name, optional apiVersion) names in the namespace. */
  public resolve(namespace: string | undefined, ref: unknown): PolicyObject[] {
    const r = record(ref);
    if (!r || typeof r.kind !== 'string' || typeof r.name !== 'string') return [];
    const group = groupOf(r.apiVersion);
    return (this.byKey.get(objectKey(namespace, r.kind, r.name)) ?? []).filter((o) => group === undefined || groupOf(o.apiVersion) === group);
  }
}

function objectKey(namespace: string | undefined, kind: string, name: string): string {
  return `${namespace ?? ''}\u0000${kind}\u0000${name}`;
}

/** The HorizontalPodAutoscalers of the set, by the object each one scales. */
export function autoscalersByTarget(objects: PolicyObject[], names: ObjectsByName): Map<PolicyObject, PolicyObject[]> {
  const result = new Map<PolicyObject, PolicyObject[]>();
  for (const hpa of objects) {
    if (hpa.kind !== 'HorizontalPodAutoscaler') continue;
    for (const target of names.resolve(hpa.namespace, record(hpa.manifest.spec)?.scaleTargetRef)) {
      const found = result.get(target);
      if (found) found.push(hpa);
      else result.set(target, [hpa]);
    }
  }
  return result;
}
