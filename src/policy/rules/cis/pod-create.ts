import { Permission } from './grants';
import { RoleGrantCheck } from './role-grant-check';
import { POD_TEMPLATE_RESOURCES } from '../../../k8s/kinds';
import { Severity } from '../../rule-api/severity';

/**
 * `create` on pods and on the controllers that create pods from a template (`POD_TEMPLATE_RESOURCES`): creating a
 * Deployment, DaemonSet, StatefulSet, ReplicaSet, Job, CronJob, ReplicationController or Argo Rollout is creating its pods.
 */
export const POD_CREATE: readonly Permission[] = POD_TEMPLATE_RESOURCES.map(({ group, resource }) => ({ group, resource, verbs: ['create'] }));

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
