import { Permission } from './grants';
import { RoleGrantCheck } from './role-grant-check';
import { Severity } from '../../rule-api/severity';

const TOKEN_CREATE: readonly Permission[] = [{ group: '', resource: 'serviceaccounts/token', verbs: ['create'] }];

/**
 * Roles do not mint service account tokens (CIS 5.1.13). An error in a Role too: unlike a pod, a minted token
 * leaves the cluster and works until it expires. `resourceNames` (service account names) do not exempt a grant.
 */
export class TokenCreateRule extends RoleGrantCheck {
  public constructor() {
    super({
      id: 'CIS-RBAC-TOKEN-CREATE',
      title: 'Roles do not grant create on serviceaccounts/token',
      rationale: 'Creating tokens for a service account is acting as it, from anywhere, for as long as the token lives.',
      severity: Severity.ERROR,
      standard: 'CIS Kubernetes Benchmark 5.1.13: Minimize access to the service account token creation',
      fix: 'Remove create on serviceaccounts/token; let pods get tokens through projected volumes.',
    }, { kinds: ['Role', 'ClusterRole'], permissions: TOKEN_CREATE });
  }
}
