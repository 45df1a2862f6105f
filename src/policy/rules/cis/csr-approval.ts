import { Permission } from './grants';
import { RoleGrantCheck } from './role-grant-check';
import { Severity } from '../../rule-api/severity';

const CERTIFICATES_GROUP = 'certificates.k8s.io';

/**
 * Approving a CertificateSigningRequest takes update (or patch) on its approval subresource and approve on the
 * signer; each is reported, since a subject may hold them through different roles. Both are cluster-scoped.
 */
const CSR_APPROVAL: readonly Permission[] = [
  { group: CERTIFICATES_GROUP, resource: 'certificatesigningrequests/approval', verbs: ['update', 'patch'], clusterScoped: true },
  { group: CERTIFICATES_GROUP, resource: 'signers', verbs: ['approve'], clusterScoped: true },
];

/**
 * ClusterRoles do not approve certificate signing requests (CIS 5.1.11). `resourceNames` on signers do not
 * exempt a grant: `kubernetes.io/kube-apiserver-client` alone issues client certificates for any user and group.
 */
export class CsrApprovalRule extends RoleGrantCheck {
  public constructor() {
    super({
      id: 'CIS-RBAC-CSR-APPROVAL',
      title: 'ClusterRoles do not grant update on certificatesigningrequests/approval or approve on signers',
      rationale: 'Whoever approves CSRs can issue a client certificate for any user or group, system:masters included, and that '
        + 'certificate cannot be revoked.',
      severity: Severity.ERROR,
      standard: 'CIS Kubernetes Benchmark 5.1.11: Minimize access to the approval sub-resource of certificatesigningrequests objects',
      fix: 'Remove the approval grants; leave approval to the controller manager or a dedicated approver restricted to its own signer.',
    }, { kinds: ['ClusterRole'], permissions: CSR_APPROVAL });
  }
}
