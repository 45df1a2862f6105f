import { POD_CREATE } from './pod-create';
import { RoleGrantCheck } from './role-grant-check';
import { Severity } from '../../rule-api/severity';

/**
 * Roles do not create pods or pod controllers (CIS 5.1.4), as a warning.
 *
 * A warning, not an error: deploying workloads into a namespace is what deployers, CI and operators are for,
 * and a Role confines the escalation to its namespace — its service accounts and Secrets, which the namespace's
 * Pod Security admission level still constrains. The same grant in a ClusterRole (CIS-RBAC-POD-CREATE) reaches
 * kube-system and is an error.
 */
export class PodCreateNamespacedRule extends RoleGrantCheck {
  public constructor() {
    super({
      id: 'CIS-RBAC-POD-CREATE-NAMESPACED',
      title: 'Roles do not grant create on pods or on controllers that create pods',
      rationale: 'Whoever creates pods in a namespace can run them as any service account of the namespace and mount any of its Secrets.',
      severity: Severity.WARNING,
      standard: 'CIS Kubernetes Benchmark 5.1.4: Minimize access to create pods',
      fix: 'Keep create on pods and workloads for the deployer\'s Role only and acknowledge it; give applications read-only Roles.',
    }, { kinds: ['Role'], permissions: POD_CREATE });
  }
}
