import { celList } from '../../k8s/cel-literals';

/** Where each kind keeps its pod template: Pods are their own, PodTemplates hold one, CronJobs one level deeper. */
const TEMPLATE = "request.resource.resource == 'pods' ? dyn(object) : request.resource.resource == 'podtemplates' ? dyn(object).template : "
  + "request.resource.resource == 'cronjobs' ? dyn(object).spec.jobTemplate.spec.template : dyn(object).spec.template";

/**
 * The variables of a pod-spec policy, in order (a variable reads only earlier ones); see AdmissionCheck.podSpec.
 * `dyn()` picks the pod spec out of nine kinds in one expression, so the API server's type check of the
 * rule expressions is dynamic; the tests type-check them against the PodSpec schema instead.
 */
export const POD_SPEC_VARIABLES: ReadonlyArray<{ readonly name: string; readonly expression: string }> = [
  { name: 'template', expression: TEMPLATE },
  { name: 'podSpec', expression: 'variables.template.spec' },
  { name: 'podLabels', expression: 'variables.template.?metadata.?labels.orValue({})' },
  { name: 'podAnnotations', expression: 'variables.template.?metadata.?annotations.orValue({})' },
  { name: 'initContainers', expression: 'variables.podSpec.?initContainers.orValue([])' },
  { name: 'containers', expression: 'variables.podSpec.?containers.orValue([])' },
  { name: 'ephemeralContainers', expression: 'variables.podSpec.?ephemeralContainers.orValue([])' },
  { name: 'allContainers', expression: 'variables.initContainers + variables.containers + variables.ephemeralContainers' },
  {
    name: 'securityContexts',
    expression: '[variables.podSpec.?securityContext.orValue({})] + variables.allContainers.map(c, c.?securityContext.orValue({}))',
  },
];

const OPERATIONS = ['CREATE', 'UPDATE'];

/** Pods and every built-in kind with a pod template (9 kinds: the API server type-checks up to 10). */
export const POD_SPEC_RESOURCES = [
  { apiGroups: [''], apiVersions: ['v1'], operations: OPERATIONS, resources: ['pods', 'pods/ephemeralcontainers', 'podtemplates', 'replicationcontrollers'] },
  { apiGroups: ['apps'], apiVersions: ['v1'], operations: OPERATIONS, resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'] },
  { apiGroups: ['batch'], apiVersions: ['v1'], operations: OPERATIONS, resources: ['cronjobs', 'jobs'] },
];

/**
 * Updates are judged only when they change the spec (as PodSecurity admission does): controllers keep
 * updating metadata (finalizers, owner references, labels) of objects created before the policy.
 */
export function specChangedCondition(podSpec: boolean): { name: string; expression: string } {
  const changed = podSpec
    ? "(request.resource.resource == 'podtemplates' ? dyn(object).template != dyn(oldObject).template : dyn(object).spec != dyn(oldObject).spec)"
    : 'dyn(object).spec != dyn(oldObject).spec';
  return { name: 'spec-changed', expression: `request.operation != 'UPDATE' || ${changed}` };
}

/** The variables an expression needs, with the variables those read, in declaration order. */
export function variablesNeeded(expressions: string[]): Array<{ name: string; expression: string }> {
  const needed = new Set<string>();
  const visit = (text: string) => {
    for (const match of text.matchAll(/variables\.(\w+)/g)) {
      const variable = POD_SPEC_VARIABLES.find((v) => v.name === match[1]);
      if (variable && !needed.has(variable.name)) {
        needed.add(variable.name);
        visit(variable.expression);
      }
    }
  };
  expressions.forEach(visit);
  return POD_SPEC_VARIABLES.filter((v) => needed.has(v.name));
}

/** Kinds whose controllers create the pods (and the objects in between) of a workload, by the workload's kind. */
export function descendantKinds(kind: string): string[] {
  switch (kind) {
    case 'Pod': case 'PodTemplate': return [];
    case 'Deployment': return ['ReplicaSet', 'Pod'];
    case 'CronJob': return ['Job', 'Pod'];
    case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'ReplicationController': case 'Job': return ['Pod'];
    // Custom workloads (an Argo Rollout makes ReplicaSets, others Jobs): the built-in kinds that can carry their pods.
    default: return ['ReplicaSet', 'Job', 'Pod'];
  }
}

/** CEL: the kind of the request is one of the kinds. */
export function kindIn(kinds: string[]): string {
  return kinds.length === 1 ? `request.kind.kind == ${celList(kinds).slice(1, -1)}` : `request.kind.kind in ${celList(kinds)}`;
}
