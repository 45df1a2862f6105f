import { isBinding, subjectsOf } from './bindings';
import { describeObject, PolicyObject } from '../../../k8s/policy-object';
import { RBAC_NOT_IN_ADMISSION } from '../../rule-api/cel';
import { ObjectCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

/**
 * No binding names the group system:masters (CIS 5.1.7). Such a binding adds nothing — members bypass RBAC
 * altogether — but it shows the group is in use: its credentials (client certificates with O=system:masters)
 * cannot be revoked short of rotating the cluster CA. Group names are case-sensitive: `System:Masters` is an
 * ordinary group and is not reported.
 */
export class SystemMastersRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'CIS-RBAC-SYSTEM-MASTERS',
      title: 'No binding names the group system:masters',
      rationale: 'Members of system:masters are superusers that no RBAC rule, binding removal or webhook can restrict, and their '
        + 'certificates cannot be revoked.',
      severity: Severity.ERROR,
      standard: 'CIS Kubernetes Benchmark 5.1.7: Avoid use of system:masters group',
      fix: 'Bind a named group of your identity provider to a least-privilege role instead, and issue no credentials in system:masters.',
      admission: RBAC_NOT_IN_ADMISSION,
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    if (!isBinding(object.kind)) return undefined;
    return subjectsOf(object.manifest)
      .filter((s) => s.kind === 'Group' && s.name === 'system:masters')
      .map(() => `${describeObject(object)} binds group system:masters`);
  }
}
