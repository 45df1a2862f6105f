import { describeSubject, isBinding, subjectsOf } from './bindings';
import { aggregationSelectors } from './role-grant-check';
import { describeObject, PolicyObject } from '../../../k8s/policy-object';
import { SelectorIndex } from '../../../k8s/selector-index';
import { RBAC_NOT_IN_ADMISSION } from '../../rule-api/cel';
import { ObjectCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

/** The labels of the built-in ClusterRole cluster-admin (every bootstrap ClusterRole carries them). */
const CLUSTER_ADMIN_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

/**
 * Nothing in the set uses the built-in ClusterRole cluster-admin (CIS 5.1.1): no RoleBinding or
 * ClusterRoleBinding refers to it, and no aggregated ClusterRole selects it.
 *
 * Bindings are reported whether or not they name subjects: an empty binding is one update away from use.
 * A RoleBinding to cluster-admin is reported too: in its namespace it grants everything, Roles and
 * RoleBindings included. Only cluster-admin is judged here; bindings to the built-in `admin` and `edit`
 * grant Secrets and pod creation, which CIS-RBAC-SECRETS-READ and CIS-RBAC-POD-CREATE cannot see because
 * those roles are not in the set.
 */
export class ClusterAdminRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'CIS-RBAC-CLUSTER-ADMIN',
      title: 'No binding refers to the ClusterRole cluster-admin, and no aggregated ClusterRole selects it',
      rationale: 'cluster-admin grants every verb on every resource: a compromised subject holding it owns the cluster, its nodes and its Secrets.',
      severity: Severity.ERROR,
      standard: 'CIS Kubernetes Benchmark 5.1.1: Ensure that the cluster-admin role is only used where required',
      fix: 'Bind a ClusterRole or Role that lists only the verbs and resources the subject needs; keep cluster-admin for break-glass access outside the app.',
      admission: RBAC_NOT_IN_ADMISSION,
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    if (isBinding(object.kind)) {
      const ref = object.manifest.roleRef;
      if (ref?.kind !== 'ClusterRole' || ref?.name !== 'cluster-admin') return [];
      const subjects = subjectsOf(object.manifest).map(describeSubject);
      const shown = subjects.length === 0 ? ' (no subjects yet)'
        : ` to ${subjects.slice(0, 5).join(', ')}${subjects.length > 5 ? `, … (${subjects.length - 5} more)` : ''}`;
      return [`${describeObject(object)} binds ClusterRole cluster-admin${shown}`];
    }
    if (object.kind !== 'ClusterRole') return undefined;
    const selectors = aggregationSelectors(object.manifest);
    if (!selectors) return undefined;
    return selectors.flatMap((selector, i) => {
      const index = new SelectorIndex<number>();
      index.add(undefined, selector, i);
      return index.matching(undefined, CLUSTER_ADMIN_LABELS).length > 0
        ? [`${describeObject(object)} aggregationRule.clusterRoleSelectors[${i}] selects the built-in ClusterRole cluster-admin `
          + '(labels kubernetes.io/bootstrapping=rbac-defaults), so it grants everything']
        : [];
    });
  }
}
