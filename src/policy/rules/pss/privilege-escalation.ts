import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

/** Containers forbid privilege escalation */
export class PrivilegeEscalationRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-PRIVILEGE-ESCALATION',
      title: 'Containers forbid privilege escalation',
      rationale: 'Without allowPrivilegeEscalation: false, setuid binaries can give a process more privileges than its parent.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): Privilege Escalation',
      fix: 'Set securityContext.allowPrivilegeEscalation to false in every container.',
    });
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers.filter((c) => c.container.securityContext?.allowPrivilegeEscalation !== false)
      .map((c) => `${c.pointer}/securityContext/allowPrivilegeEscalation is not false`);
  }
}
