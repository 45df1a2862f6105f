/** A container of a pod spec and its JSON pointer. */
export interface ContainerView {
  readonly container: any;
  readonly pointer: string;
}

/** The pod spec of a workload, wherever it lives in the manifest. */
export interface PodView {
  /** The pod spec. */
  readonly spec: any;
  /** The pod template's (or pod's) annotations. */
  readonly annotations: { [key: string]: string };
  /** The pod template's (or pod's) labels. */
  readonly labels: { [key: string]: string };
  /** JSON pointer of the pod spec. */
  readonly pointer: string;
  /** Init, regular and ephemeral containers. */
  readonly containers: ContainerView[];
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController']);

/** The kinds whose objects carry a pod spec. */
export const WORKLOAD_KINDS = new Set([...TEMPLATE_KINDS, 'Pod', 'CronJob']);

// Every rule asks for the pod view of every workload: compute it once per manifest and keep it on the
// manifest under a symbol (not enumerable, so never serialized).
const POD_VIEW = Symbol('cdk8s-hardened.podView');

/**
 * Finds the pod spec of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob (undefined
 * otherwise). Manifests must not change while they are being checked: the view is cached per manifest.
 */
export function podViewOf(manifest: any): PodView | undefined {
  // Most objects are not workloads: answer those without touching the cache.
  if (!WORKLOAD_KINDS.has(manifest?.kind)) return undefined;
  let view: PodView | null | undefined = manifest[POD_VIEW];
  if (view === undefined) {
    view = computePodView(manifest) ?? null;
    Object.defineProperty(manifest, POD_VIEW, { value: view });
  }
  return view ?? undefined;
}

function computePodView(manifest: any): PodView | undefined {
  let template: any;
  let pointer: string;
  if (manifest?.kind === 'Pod') {
    template = manifest;
    pointer = '/spec';
  } else if (manifest?.kind === 'CronJob') {
    template = manifest.spec?.jobTemplate?.spec?.template;
    pointer = '/spec/jobTemplate/spec/template/spec';
  } else if (TEMPLATE_KINDS.has(manifest?.kind)) {
    template = manifest.spec?.template;
    pointer = '/spec/template/spec';
  } else {
    return undefined;
  }
  const spec = template?.spec;
  if (!spec) return undefined;
  const containers: ContainerView[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
    (spec[field] ?? []).forEach((container: any, i: number) => containers.push({ container, pointer: `${pointer}/${field}/${i}` }));
  }
  return { spec, annotations: template.metadata?.annotations ?? {}, labels: template.metadata?.labels ?? {}, pointer, containers };
}

/** The container's value of a security-context field, falling back to the pod's. */
export function effective(pod: PodView, container: any, field: string): any {
  return container.securityContext?.[field] ?? pod.spec.securityContext?.[field];
}

/** Whether a label selector (matchLabels + matchExpressions) selects the labels. */
export function selects(selector: any, labels: { [key: string]: string }): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values: string[] = expression.values ?? [];
    switch (expression.operator) {
      case 'In': if (value === undefined || !values.includes(value)) return false; break;
      case 'NotIn': if (value !== undefined && values.includes(value)) return false; break;
      case 'Exists': if (value === undefined) return false; break;
      case 'DoesNotExist': if (value !== undefined) return false; break;
      default: return false;
    }
  }
  return true;
}
