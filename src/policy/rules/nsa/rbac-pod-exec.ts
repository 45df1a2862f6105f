import { PolicyObject } from '../../policy-object';
import { Severity } from '../../severity';
import { ObjectCheck } from '../checks';

const EXEC_RESOURCES = new Set(['pods/exec', 'pods/attach']);
const EXEC_VERBS = new Set(['create', 'get', '*']);

/** Roles do not let subjects exec into or attach to pods. */
export class RbacPodExecRule extends ObjectCheck {
  public constructor() {
    super({
      id: 'NSA-RBAC-POD-EXEC',
      title: 'Roles do not grant pods/exec or pods/attach',
      rationale: 'exec and attach give a shell in any pod the role reaches, including its secrets and tokens.',
      severity: Severity.WARNING,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Authentication and authorization — least privilege RBAC',
      fix: 'Remove pods/exec and pods/attach from the role; grant them only to break-glass roles bound on demand.',
    });
  }

  protected check(object: PolicyObject): string[] | undefined {
    if (object.kind !== 'Role' && object.kind !== 'ClusterRole') return undefined;
    return (object.manifest.rules ?? []).flatMap((rule: any, i: number) => {
      const resources: string[] = (rule.resources ?? []).filter((r: string) => EXEC_RESOURCES.has(r));
      const verbs: string[] = (rule.verbs ?? []).filter((v: string) => EXEC_VERBS.has(v));
      return resources.length && verbs.length ? [`rules[${i}] grants ${verbs.join(', ')} on ${resources.join(', ')}`] : [];
    });
  }
}
