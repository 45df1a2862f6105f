import { isWindows, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ALL_CONTAINERS, everyContainer, windowsExempt } from '../../rule-api/cel';
import { HARDENED_WORKLOAD_DEFAULT } from '../../rule-api/hardened-workload-default';
import { Severity } from '../../rule-api/severity';

/**
 * Containers forbid privilege escalation (upstream check `allowPrivilegeEscalation`: v1.8 requires
 * an explicit `false` on every container; v1.25 exempts Windows pods).
 */
export class PrivilegeEscalationRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-PRIVILEGE-ESCALATION',
      title: 'Containers forbid privilege escalation',
      rationale: 'Without allowPrivilegeEscalation: false, setuid binaries can give a process more privileges than its parent.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): Privilege Escalation',
      fix: 'Set securityContext.allowPrivilegeEscalation to false in every container.',
      constructFix: HARDENED_WORKLOAD_DEFAULT,
      admission: AdmissionCheck.podSpec([windowsExempt(version, everyContainer(ALL_CONTAINERS,
        'c.?securityContext.?allowPrivilegeEscalation.orValue(true) == false', 'allow privilege escalation'))]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    if (this.version.since(25) && isWindows(pod)) return [];
    return pod.containers.filter((c) => c.container?.securityContext?.allowPrivilegeEscalation !== false)
      .map((c) => `${c.pointer}/securityContext/allowPrivilegeEscalation is not false`);
  }
}
