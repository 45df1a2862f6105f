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

/**
 * Where a pod spec can live in a manifest, tried in order. Workloads are found by shape, not by kind, so
 * a PodTemplate, an Argo Rollout or any custom workload with a pod template is judged like a Deployment.
 */
const POD_SPEC_LOCATIONS: ReadonlyArray<{ readonly template: (m: any) => any; readonly pointer: string }> = [
  { template: (m) => m.spec?.template, pointer: '/spec/template/spec' },
  { template: (m) => m.spec?.jobTemplate?.spec?.template, pointer: '/spec/jobTemplate/spec/template/spec' },
  { template: (m) => m.template, pointer: '/template/spec' },
  { template: (m) => m, pointer: '/spec' },
];

/**
 * Finds the pod spec of any object that carries one: a Pod (`spec.containers`), a workload with a pod
 * template (`spec.template.spec`: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, Argo Rollout, …),
 * a CronJob-like object (`spec.jobTemplate.spec.template.spec`) or a PodTemplate (`template.spec`).
 * Undefined otherwise. Computed afresh at each call: the policy engine asks the objects it evaluates
 * (`podOf` in policy-object.ts), which compute it once.
 */
export function podViewOf(manifest: any): PodView | undefined {
  if (manifest === null || typeof manifest !== 'object') return undefined;
  for (const location of POD_SPEC_LOCATIONS) {
    const template = location.template(manifest);
    const spec = template?.spec;
    if (!isPodSpec(spec)) continue;
    const containers: ContainerView[] = [];
    for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
      const list = spec[field];
      if (!Array.isArray(list)) continue;
      list.forEach((container: any, i: number) => containers.push({ container: container ?? {}, pointer: `${location.pointer}/${field}/${i}` }));
    }
    const metadata = template.metadata ?? {};
    return { spec, annotations: metadata.annotations ?? {}, labels: metadata.labels ?? {}, pointer: location.pointer, containers };
  }
  return undefined;
}

/** A pod spec is an object with a list of containers. */
function isPodSpec(spec: any): boolean {
  return spec !== null && typeof spec === 'object' && Array.isArray(spec.containers);
}

/** The container's value of a security-context field, falling back to the pod's. */
export function effective(pod: PodView, container: any, field: string): any {
  return container.securityContext?.[field] ?? pod.spec.securityContext?.[field];
}

/** Whether a label selector (matchLabels + matchExpressions) selects the labels. */
export function selects(selector: any, labels: { [key: string]: string }): boolean {
  if (!selector) return false;
  const matchLabels = selector.matchLabels;
  for (const key in matchLabels) {
    if (labels[key] !== matchLabels[key]) return false;
  }
  const expressions = selector.matchExpressions;
  if (!expressions) return true;
  for (const expression of expressions) {
    // Own labels only: a key such as `constructor` or `toString` is a valid label key, not the object's inherited method.
    const value = Object.prototype.hasOwnProperty.call(labels, expression.key) ? labels[expression.key] : undefined;
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
