import { Permission } from './grants';
import { RoleGrantCheck } from './role-grant-check';
import { Severity } from '../../rule-api/severity';

const SECRETS_READ: readonly Permission[] = [{ group: '', resource: 'secrets', verbs: ['get', 'list', 'watch'] }];

/**
 * ClusterRoles do not read Secrets (CIS 5.1.2).
 *
 * Every ClusterRole is judged, bound or not, and however it is bound in the set: a ClusterRole can be bound
 * cluster-wide later by a ClusterRoleBinding outside the set, and its `aggregate-to-*` labels can feed it into
 * widely bound roles (`view`, `edit`, `admin`) without any binding at all. A namespaced Role reading the
 * Secrets of its own namespace is the least-privilege way to grant that access, so Roles are not judged.
 */
export class SecretsReadRule extends RoleGrantCheck {
  public constructor() {
    super({
      id: 'CIS-RBAC-SECRETS-READ',
      title: 'ClusterRoles do not grant get, list or watch on secrets',
      rationale: 'Reading Secrets in every namespace yields every service account token and credential of the cluster; list and watch return the values too.',
      severity: Severity.ERROR,
      standard: 'CIS Kubernetes Benchmark 5.1.2: Minimize access to secrets',
      fix: 'Grant secret access with a Role in the namespace that holds the secrets, restricted by resourceNames where possible.',
    }, { kinds: ['ClusterRole'], permissions: SECRETS_READ });
  }
}
