import { builtInClusterRoleRules } from '../../../k8s/built-in-cluster-roles';
import { PolicyObject } from '../../../k8s/policy-object';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { CrossObjectCheck, RuleResults } from '../../rule-api/checks';
import { EvaluationFacts } from '../../rule-api/evaluation-facts';
import { Severity } from '../../rule-api/severity';

/**
 * Pods do not mount a service account token unless they need one: a pod may mount the token of a ServiceAccount
 * (other than `default`) that a RoleBinding or ClusterRoleBinding of the set binds to a Role or ClusterRole of the
 * set with rules, or to a built-in ClusterRole (`view`, `edit`, `admin`, `cluster-admin`): the app granted it API
 * access, e.g. with SecureDeployment's `allow`, and the RBAC rules judge that grant — bindings to the built-in roles
 * by what those roles grant (built-in-cluster-roles.ts). Any other mounted token is flagged.
 */
export class ServiceAccountTokenRule extends CrossObjectCheck {
  public constructor() {
    super({
      id: 'NSA-SA-TOKEN',
      title: 'Pods do not mount a service account token',
      rationale: 'A mounted token lets anyone who compromises the pod call the API server as its service account.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Pod security — service account tokens',
      fix: 'Set automountServiceAccountToken: false on the pod spec (or on its ServiceAccount); mount a token only where the API is needed, '
        + 'and grant that access with a Role and RoleBinding.',
      constructFix: 'SecureDeployment and FlywayMigrationJob mount no token by default; SecureDeployment.allow mounts one and binds the Role.',
      admission: AdmissionCheck.notExpressible('a pod that leaves automountServiceAccountToken unset is judged by its ServiceAccount, '
        + 'another object that the admission of the pod cannot read'),
    });
  }

  protected judgeSet(objects: PolicyObject[], results: RuleResults, facts: EvaluationFacts): void {
    const accountsOff = new Set(objects
      .filter((o) => o.kind === 'ServiceAccount' && o.manifest.automountServiceAccountToken === false)
      .map((o) => `${o.namespace ?? ''}/${o.name}`));
    const accountsBound = accountsGrantedAccess(objects);
    for (const { object, pod } of facts.workloads) {
      const account = pod.spec.serviceAccountName ?? 'default';
      const podSetting = pod.spec.automountServiceAccountToken;
      const key = `${object.namespace ?? ''}/${account}`;
      const compliant = podSetting === false || (podSetting === undefined && accountsOff.has(key)) || accountsBound.has(key);
      results.judge(object, compliant ? [] : [`the pod mounts the token of service account "${account}"`]);
    }
  }
}

const RBAC = 'rbac.authorization.k8s.io/';

/** `namespace/name` of the ServiceAccounts (not `default`) bound to a role that grants something. */
function accountsGrantedAccess(objects: PolicyObject[]): Set<string> {
  const rbac = objects.filter((o) => o.apiVersion.startsWith(RBAC));
  const granting = new Set(rbac
    .filter((o) => (o.kind === 'Role' || o.kind === 'ClusterRole') && Array.isArray(o.manifest.rules) && o.manifest.rules.length > 0)
    .map((o) => (o.kind === 'Role' ? `Role/${o.namespace ?? ''}/${o.name}` : `ClusterRole//${o.name}`)));
  const accounts = new Set<string>();
  for (const binding of rbac.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding')) {
    const role = binding.manifest.roleRef;
    const grants = role?.kind === 'ClusterRole' ? granting.has(`ClusterRole//${role.name}`) || builtInClusterRoleRules(role.name) !== undefined
      : role?.kind === 'Role' && binding.kind === 'RoleBinding' && granting.has(`Role/${binding.namespace ?? ''}/${role.name}`);
    if (!grants) continue;
    for (const subject of Array.isArray(binding.manifest.subjects) ? binding.manifest.subjects : []) {
      if (subject?.kind !== 'ServiceAccount' || typeof subject.name !== 'string' || subject.name === 'default') continue;
      accounts.add(`${subject.namespace ?? binding.namespace ?? ''}/${subject.name}`);
    }
  }
  return accounts;
}
