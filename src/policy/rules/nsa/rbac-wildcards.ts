import { PolicyObject } from '../../policy-object';
import { Severity } from '../../severity';
import { ObjectCheck } from '../checks';

/** Roles grant named verbs on named resources, never `*`. */
export class RbacWildcardsRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'NSA-RBAC-WILDCARD',
      title: 'Roles name their API groups, resources and verbs instead of using *',
      rationale: 'Wildcards grant whatever resources and verbs exist now and in the future: the opposite of least privilege.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Authentication and authorization — least privilege RBAC',
      fix: 'List the apiGroups, resources and verbs the subject needs instead of "*".',
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    if (object.kind !== 'Role' && object.kind !== 'ClusterRole') return undefined;
    return (object.manifest.rules ?? []).flatMap((rule: any, i: number) => ['apiGroups', 'resources', 'verbs']
      .filter((field) => (rule[field] ?? []).includes('*'))
      .map((field) => `rules[${i}].${field} contains "*"`));
  }
}
