import { describeObject, PolicyObject } from '../../../k8s/policy-object';
import { RBAC_NOT_IN_ADMISSION } from '../../rule-api/cel';
import { ObjectCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';
import { isBinding, isServiceAccountSubject, SERVICE_ACCOUNTS_GROUP, serviceAccountOf, subjectsOf } from '../cis/bindings';

/**
 * No binding grants anything to a namespace's `default` ServiceAccount (named as a ServiceAccount, or as the user
 * `system:serviceaccount:<ns>:default`), or to the group of all service accounts of a
 * namespace (`system:serviceaccounts:<ns>`) or of the cluster (`system:serviceaccounts`): every pod that names no
 * ServiceAccount runs as `default`, so whatever it is granted reaches every such pod of the namespace that mounts a
 * token, not the one workload it was meant for. SecureDeployment's `allow` is refused for a workload running as
 * `default` by this rule.
 */
export class RbacDefaultServiceAccountRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'NSA-RBAC-DEFAULT-SA',
      title: 'No binding grants a role to the default ServiceAccount or to all service accounts of a namespace',
      rationale: 'Pods that name no ServiceAccount run as default: a role bound to it (or to a group of every service account) is '
        + 'granted to every such pod that mounts a token, not to the workload that needed it.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Pod security — service account tokens; least privilege RBAC',
      fix: 'Create a ServiceAccount for the workload, set serviceAccountName in its pod spec, and bind the role to that ServiceAccount.',
      constructFix: 'SecureDeployment creates a ServiceAccount of its own unless serviceAccount is set.',
      admission: RBAC_NOT_IN_ADMISSION,
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    if (!isBinding(object.kind)) return undefined;
    return subjectsOf(object.manifest).flatMap((subject) => {
      const account = serviceAccountOf(subject, object.namespace);
      if (account?.name === 'default') {
        const asUser = subject.kind === 'User' ? ` (as the user "${subject.name}")` : '';
        return [`${describeObject(object)} binds the ServiceAccount "default" of namespace "${account.namespace ?? ''}"${asUser}`];
      }
      if (subject.kind === 'Group' && isServiceAccountSubject(subject)) {
        return [`${describeObject(object)} binds the group "${subject.name}", every service account of ${subject.name === SERVICE_ACCOUNTS_GROUP ? 'the cluster' : 'a namespace'}`];
      }
      return [];
    });
  }
}
