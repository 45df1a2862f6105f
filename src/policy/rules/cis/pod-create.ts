import { Permission } from './grants';
import { RoleGrantCheck } from './role-grant-check';
import { Severity } from '../../rule-api/severity';

/**
 * `create` on pods and on the controllers that create pods from a template: creating a Deployment, DaemonSet,
 * StatefulSet, ReplicaSet, Job, CronJob or ReplicationController is creating its pods.
 */
export const POD_CREATE: readonly Permission[] = [
  { group: '', resource: 'pods', verbs: ['create'] },
  { group: '', resource: 'replicationcontrollers', verbs: ['create'] },
  { group: 'apps', resource: 'deployments', verbs: ['create'] },
  { group: 'apps', resource: 'daemonsets', verbs: ['create'] },
  { group: 'apps', resource: 'statefulsets', verbs: ['create'] },
  { group: 'apps', resource: 'replicasets', verbs: ['create'] },
  { group: 'batch', resource: 'jobs', verbs: ['create'] },
  { group: 'batch', resource: 'cronjobs', verbs: ['create'] },
];

/** ClusterRoles do not create pods or pod controllers (CIS 5.1.4); see CIS-RBAC-POD-CREATE-NAMESPACED for Roles. */
export class PodCreateRule extends RoleGrantCheck {
  public constructor() {
    super({
      id: 'CIS-RBAC-POD-CREATE',
      title: 'ClusterRoles do not grant create on pods or on controllers that create pods',
      rationale: 'Whoever creates pods in every namespace can run them as any service account (kube-system included), mount any Secret '
        + 'and, where admission allows, the host: a path to cluster-admin.',
      severity: Severity.ERROR,
      standard: 'CIS Kubernetes Benchmark 5.1.4: Minimize access to create pods',
      fix: 'Grant create on pods and workloads with a Role in the namespaces the subject deploys to (e.g. a RoleBinding per namespace).',
    }, { kinds: ['ClusterRole'], permissions: POD_CREATE });
  }
}
