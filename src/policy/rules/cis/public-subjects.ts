import { isBinding, subjectsOf } from './bindings';
import { describeObject, PolicyObject } from '../../../k8s/policy-object';
import { RBAC_NOT_IN_ADMISSION } from '../../rule-api/cel';
import { ObjectCheck } from '../../rule-api/checks';
import { Severity } from '../../rule-api/severity';

/** Subjects that stand for everyone (kind and name, case-sensitive as RBAC compares them), and who that is. */
const PUBLIC_SUBJECTS: ReadonlyArray<{ kind: string; name: string; who: string }> = [
  { kind: 'User', name: 'system:anonymous', who: 'every unauthenticated request' },
  { kind: 'Group', name: 'system:unauthenticated', who: 'every unauthenticated request' },
  { kind: 'Group', name: 'system:authenticated', who: 'every authenticated user and service account' },
];

/**
 * No binding grants a role to everyone: the user system:anonymous or the groups system:unauthenticated and
 * system:authenticated. Kept apart from CIS-RBAC-SYSTEM-MASTERS (5.1.7) because the fix differs — this one
 * is about who, not about a superuser group — and the benchmark's anonymous-auth control (1.2.1) is an API
 * server flag this engine cannot see: a binding to these subjects is what makes anonymous access dangerous
 * where that flag is left on. system:authenticated is included because on managed clusters it can mean any
 * account of the cloud provider, and it always means every pod's service account.
 * Any role bound is reported, including harmless discovery roles: acknowledge those with a reason.
 */
export class PublicSubjectsRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'CIS-RBAC-PUBLIC-SUBJECTS',
      title: 'No binding names system:anonymous, system:unauthenticated or system:authenticated',
      rationale: 'A role bound to these subjects is granted to everyone who can reach the API server (or everyone with any credential), '
        + 'which no audit of named users will find.',
      severity: Severity.ERROR,
      standard: 'CIS Kubernetes Benchmark 5.1 RBAC and Service Accounts (with 5.1.7 and 1.2.1 anonymous-auth): do not grant roles to anonymous or all users',
      fix: 'Bind the role to the named users, groups or service accounts that need it.',
      admission: RBAC_NOT_IN_ADMISSION,
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    if (!isBinding(object.kind)) return undefined;
    return subjectsOf(object.manifest).flatMap((subject) => PUBLIC_SUBJECTS
      .filter((p) => p.kind === subject.kind && p.name === subject.name)
      .map((p) => `${describeObject(object)} binds ${p.kind.toLowerCase()} ${p.name} (${p.who})`));
  }
}
