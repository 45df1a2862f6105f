import { Permission, RBAC_GROUP } from './grants';
import { RoleGrantCheck } from './role-grant-check';
import { Severity } from '../../rule-api/severity';

const AUTHENTICATION_GROUP = 'authentication.k8s.io';

/**
 * bind and escalate on roles and clusterroles; impersonate on users, groups, service accounts, uids and user
 * extras. `bind` is checked in the namespace of the binding being created, so a Role grants it for both
 * roles and clusterroles; `escalate` on clusterroles and impersonating anything but a service account are
 * checked without a namespace, which a Role never grants.
 */
const ESCALATION: readonly Permission[] = [
  { group: RBAC_GROUP, resource: 'roles', verbs: ['bind', 'escalate'] },
  { group: RBAC_GROUP, resource: 'clusterroles', verbs: ['bind'] },
  { group: RBAC_GROUP, resource: 'clusterroles', verbs: ['escalate'], clusterScoped: true },
  { group: '', resource: 'users', verbs: ['impersonate'], clusterScoped: true },
  { group: '', resource: 'groups', verbs: ['impersonate'], clusterScoped: true },
  { group: '', resource: 'serviceaccounts', verbs: ['impersonate'] },
  { group: AUTHENTICATION_GROUP, resource: 'uids', verbs: ['impersonate'], clusterScoped: true },
  { group: AUTHENTICATION_GROUP, resource: 'userextras/*', verbs: ['impersonate'], clusterScoped: true },
];

/**
 * Roles do not grant bind, escalate or impersonate (CIS 5.1.8).
 *
 * `resourceNames` do not exempt a grant, as in the benchmark: `bind` restricted to named roles still hands out
 * whatever those roles grant (we cannot see roles outside the set), and impersonating one named user is acting
 * with all of that user's rights. A deliberate, narrowed grant (a namespace admin allowed to bind only `view`
 * and `edit`) is acknowledged with its reason; the message shows the names to make that review quick.
 */
export class EscalationVerbsRule extends RoleGrantCheck {
  public constructor() {
    super({
      id: 'CIS-RBAC-ESCALATION-VERBS',
      title: 'Roles do not grant bind or escalate on roles, or impersonate on users, groups and service accounts',
      rationale: 'bind and escalate bypass the RBAC rule that nobody grants permissions they do not hold; impersonate acts as another '
        + 'user, group or service account with all of its rights. Each is a direct path to cluster-admin.',
      severity: Severity.ERROR,
      standard: 'CIS Kubernetes Benchmark 5.1.8: Limit use of the Bind, Impersonate and Escalate permissions in the Kubernetes cluster',
      fix: 'Remove bind, escalate and impersonate; if a subject must create bindings, grant bind only on the named roles it may hand out (resourceNames) and acknowledge it.',
    }, { kinds: ['Role', 'ClusterRole'], permissions: ESCALATION });
  }
}
