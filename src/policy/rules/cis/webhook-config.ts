import { Permission } from './grants';
import { RoleGrantCheck } from './role-grant-check';
import { Severity } from '../../rule-api/severity';

const ADMISSION_GROUP = 'admissionregistration.k8s.io';
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/** Webhook configurations and admission policies with their bindings; all cluster-scoped. */
const ADMISSION_CONFIG: readonly Permission[] = [
  'validatingwebhookconfigurations', 'mutatingwebhookconfigurations',
  'validatingadmissionpolicies', 'validatingadmissionpolicybindings',
  'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings',
].map((resource) => ({ group: ADMISSION_GROUP, resource, verbs: WRITE, clusterScoped: true }));

/** ClusterRoles do not write admission webhooks or policies (CIS 5.1.12). */
export class WebhookConfigRule extends RoleGrantCheck {
  public constructor() {
    super({
      id: 'CIS-RBAC-WEBHOOK-CONFIG',
      title: 'ClusterRoles do not grant create, update, patch or delete on admission webhook configurations and policies',
      rationale: 'A mutating webhook or policy can rewrite every object sent to the API server (and read Secrets on their way); deleting '
        + 'a validating one removes the guard rails.',
      severity: Severity.ERROR,
      standard: 'CIS Kubernetes Benchmark 5.1.12: Minimize access to webhook configuration objects',
      fix: 'Remove write access to webhook configurations and admission policies; install them with the cluster\'s deployment pipeline.',
    }, { kinds: ['ClusterRole'], permissions: ADMISSION_CONFIG });
  }
}
