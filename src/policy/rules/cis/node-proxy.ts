import { Permission } from './grants';
import { RoleGrantCheck } from './role-grant-check';
import { Severity } from '../../rule-api/severity';

/**
 * Any verb: the kubelet authorizes a proxied request by its HTTP method (GET, websocket upgrades for exec
 * included, is `get`; POST is `create`), and `proxy` is the verb of the old /api/v1/proxy paths.
 */
const NODE_PROXY: readonly Permission[] = [{
  group: '',
  resource: 'nodes/proxy',
  verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'proxy'],
  clusterScoped: true,
}];

/**
 * ClusterRoles grant no access to nodes/proxy (CIS 5.1.10). Nodes are cluster-scoped, so a Role cannot grant it.
 * `resourceNames` (node names) do not exempt a grant: one node's kubelet still runs every pod scheduled there.
 */
export class NodeProxyRule extends RoleGrantCheck {
  public constructor() {
    super({
      id: 'CIS-RBAC-NODE-PROXY',
      title: 'ClusterRoles grant no verb on nodes/proxy',
      rationale: 'nodes/proxy reaches the kubelet API directly: exec into and read every pod on the node, bypassing admission control '
        + 'and the API server\'s audit log.',
      severity: Severity.ERROR,
      standard: 'CIS Kubernetes Benchmark 5.1.10: Minimize access to the proxy sub-resource of nodes',
      fix: 'Remove nodes/proxy; for metrics, grant get on nodes/metrics and nodes/stats instead.',
    }, { kinds: ['ClusterRole'], permissions: NODE_PROXY });
  }
}
