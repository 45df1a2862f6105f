import { Severity } from '../../rule-api/severity';
import { Permission } from '../cis/grants';
import { RoleGrantCheck } from '../cis/role-grant-check';

/**
 * The core-group pod subresources that open a session inside a running pod, with the verbs that open it:
 * - `pods/exec`, `pods/attach`: `create` (SPDY, a POST) and `get` (WebSocket, a GET upgrade; kubectl uses it since
 *   1.31, and `get` alone suffices unless the API server enables AuthorizePodWebsocketUpgradeCreatePermission);
 * - `pods/portforward`: same verbs. It runs no command, but the kubelet connects inside the pod's network namespace,
 *   so every port of the pod is reachable, those bound to localhost (debuggers, admin endpoints) and those that
 *   NetworkPolicies close included;
 * - `pods/ephemeralcontainers`: `patch` (what `kubectl debug` sends) and `update`. Adding a container to a running
 *   pod runs any image with the pod's volumes (its service account token too) and, with a target, its processes.
 *
 * `pods/proxy` is left out: the API server proxies HTTP to the pod's IP, as any client in the cluster could reach it.
 */
const POD_SESSIONS: readonly Permission[] = [
  { group: '', resource: 'pods/exec', verbs: ['create', 'get'] },
  { group: '', resource: 'pods/attach', verbs: ['create', 'get'] },
  { group: '', resource: 'pods/portforward', verbs: ['create', 'get'] },
  { group: '', resource: 'pods/ephemeralcontainers', verbs: ['patch', 'update'] },
];

/**
 * Roles and ClusterRoles do not let subjects into running pods: exec, attach, port-forward or ephemeral containers
 * (`POD_SESSIONS`), decided as the RBAC authorizer decides (`grants`): wildcards (`*`, `*\/exec`, apiGroups `*`)
 * count, other API groups and upper-case verbs grant nothing, and `resourceNames` still grant entry to the named
 * pods. One finding per PolicyRule, `Role/shop/ops rules[0] grants create, get on pods/exec (via resources "*")`, and
 * per binding to the built-in `edit` or `admin`, which grant all four.
 */
export class RbacPodExecRule extends RoleGrantCheck {
  public constructor() {
    super({
      id: 'NSA-RBAC-POD-EXEC',
      title: 'Roles do not grant exec, attach, port-forward or ephemeral containers on pods',
      rationale: 'exec, attach and ephemeral containers give a shell in any pod the role reaches, with its secrets and service account token; '
        + 'port-forward reaches its localhost-only ports past NetworkPolicies.',
      severity: Severity.WARNING,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Authentication and authorization — least privilege RBAC',
      fix: 'Remove pods/exec, pods/attach, pods/portforward and pods/ephemeralcontainers (and the wildcards that include them) from the role; '
        + 'grant them only to break-glass roles bound on demand.',
    }, { kinds: ['Role', 'ClusterRole'], permissions: POD_SESSIONS });
  }
}
