// The rules of Kubernetes' user-facing ClusterRoles, as the API server bootstraps them: `view`, `edit` and `admin` are
// aggregated ClusterRoles whose rules the aggregation controller fills from `system:aggregate-to-view`, `-edit` and
// `-admin` (admin takes edit's, edit takes view's); `cluster-admin` grants everything.
//
// Source: kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/cluster-roles.yaml at
// commit 025f2834a128798cef30018a5e6a6ae82b5ad885 (Apache-2.0, The Kubernetes Authors), the file the bootstrap
// policy is tested against. One table serves every version the library supports: the releases before it grant a
// subset (grants are added to these roles, as leases were to edit, not taken away), so a binding is judged by at
// least what it grants on any of them. A cluster may add rules (other ClusterRoles labelled `aggregate-to-*`): what
// a binding to these roles grants there is at least this.

/** One PolicyRule of a built-in ClusterRole. */
export interface BuiltInRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

const AGGREGATE_TO_VIEW: readonly BuiltInRule[] = [
  {
    apiGroups: [''],
    resources: ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers',
      'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'],
    verbs: READ,
  },
  {
    apiGroups: [''],
    resources: ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status',
      'resourcequotas', 'resourcequotas/status'],
    verbs: READ,
  },
  { apiGroups: [''], resources: ['namespaces'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  {
    apiGroups: ['apps'],
    resources: ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets',
      'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'],
    verbs: READ,
  },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], verbs: READ },
  {
    apiGroups: ['extensions'],
    resources: ['daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'ingresses', 'ingresses/status',
      'networkpolicies', 'replicasets', 'replicasets/scale', 'replicasets/status', 'replicationcontrollers/scale'],
    verbs: READ,
  },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingresses/status', 'networkpolicies'], verbs: READ },
];

const AGGREGATE_TO_EDIT: readonly BuiltInRule[] = [
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], verbs: READ },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], verbs: WRITE },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  {
    apiGroups: [''],
    resources: ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets',
      'serviceaccounts', 'services', 'services/proxy'],
    verbs: WRITE,
  },
  { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] },
  {
    apiGroups: ['apps'],
    resources: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets',
      'statefulsets/scale'],
    verbs: WRITE,
  },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
  {
    apiGroups: ['extensions'],
    resources: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'ingresses', 'networkpolicies', 'replicasets',
      'replicasets/scale', 'replicationcontrollers/scale'],
    verbs: WRITE,
  },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: WRITE },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: [...WRITE, ...READ] },
];

const AGGREGATE_TO_ADMIN: readonly BuiltInRule[] = [
  { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings', 'roles'], verbs: [...WRITE, ...READ] },
];

/**
 * The rules of the built-in ClusterRole of that name (`view`, `edit`, `admin`, `cluster-admin`, and the
 * `system:aggregate-to-view`, `-edit`, `-admin` roles they are aggregated from), or undefined for any other name. A
 * built-in role is only what a binding refers to when the set does not define a ClusterRole of that name itself.
 */
export function builtInClusterRoleRules(name: string): readonly BuiltInRule[] | undefined {
  switch (name) {
    case 'view': return AGGREGATE_TO_VIEW;
    case 'edit': return [...AGGREGATE_TO_EDIT, ...AGGREGATE_TO_VIEW];
    case 'admin': return [...AGGREGATE_TO_ADMIN, ...AGGREGATE_TO_EDIT, ...AGGREGATE_TO_VIEW];
    case 'system:aggregate-to-view': return AGGREGATE_TO_VIEW;
    case 'system:aggregate-to-edit': return AGGREGATE_TO_EDIT;
    case 'system:aggregate-to-admin': return AGGREGATE_TO_ADMIN;
    case 'cluster-admin': return [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];
    default: return undefined;
  }
}

const BOOTSTRAPPING = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const aggregateTo = (role: 'view' | 'edit' | 'admin') => ({ [`rbac.authorization.k8s.io/aggregate-to-${role}`]: 'true' });

/**
 * The built-in ClusterRoles above as the API server bootstraps them, labels and aggregation rules included (the same
 * cluster-roles.yaml): `view`, `edit` and `admin` hold no rules of their own, they aggregate the ClusterRoles labelled
 * `aggregate-to-view`, `-edit` and `-admin` (view carries `aggregate-to-edit` and edit `aggregate-to-admin`, so each
 * takes the one below it). What ClusterRoles of an app are aggregated into, and what their aggregation rules select.
 */
export function builtInClusterRoleManifests(): any[] {
  const clusterRole = (name: string, labels: { [key: string]: string }, body: { rules?: readonly BuiltInRule[]; aggregates?: 'view' | 'edit' | 'admin' }) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { ...BOOTSTRAPPING, ...labels } },
    ...(body.aggregates ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: aggregateTo(body.aggregates) }] } } : {}),
    rules: (body.rules ?? []).map((rule) => ({ apiGroups: [...rule.apiGroups], resources: [...rule.resources], verbs: [...rule.verbs] })),
  });
  return [
    clusterRole('cluster-admin', {}, { rules: builtInClusterRoleRules('cluster-admin') }),
    clusterRole('admin', {}, { aggregates: 'admin' }),
    clusterRole('edit', aggregateTo('admin'), { aggregates: 'edit' }),
    clusterRole('view', aggregateTo('edit'), { aggregates: 'view' }),
    clusterRole('system:aggregate-to-admin', aggregateTo('admin'), { rules: AGGREGATE_TO_ADMIN }),
    clusterRole('system:aggregate-to-edit', aggregateTo('edit'), { rules: AGGREGATE_TO_EDIT }),
    clusterRole('system:aggregate-to-view', aggregateTo('view'), { rules: AGGREGATE_TO_VIEW }),
  ];
}
