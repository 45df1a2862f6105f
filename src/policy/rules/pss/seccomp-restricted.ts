import { isWindows, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ALL_CONTAINERS, celList, everyContainer, profileTypeIn, windowsExempt } from '../../rule-api/cel';
import { HARDENED_WORKLOAD_DEFAULT } from '../../rule-api/hardened-workload-default';
import { Severity } from '../../rule-api/severity';

const ALLOWED = new Set(['RuntimeDefault', 'Localhost']);

/**
 * Every container runs under the RuntimeDefault or a Localhost seccomp profile (upstream check
 * `seccompProfile_restricted`: v1.19; v1.25 exempts Windows pods). A profile set on the pod must be
 * allowed even where every container sets its own; a container without one inherits the pod's.
 */
export class SeccompRestrictedRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-SECCOMP',
      title: 'Every container runs with the RuntimeDefault or a Localhost seccomp profile',
      rationale: 'The RuntimeDefault seccomp profile blocks dangerous, rarely needed syscalls; restricted requires it.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): Seccomp',
      fix: 'Set securityContext.seccompProfile.type to RuntimeDefault on the pod (or on every container).',
      constructFix: HARDENED_WORKLOAD_DEFAULT,
      admission: AdmissionCheck.podSpec([
        { expression: profileTypeIn('variables.podSpec.?securityContext.?seccompProfile', [...ALLOWED]), message: 'the pod seccompProfile type is not RuntimeDefault or Localhost' },
        everyContainer(ALL_CONTAINERS,
          `c.?securityContext.?seccompProfile.orValue(variables.podSpec.?securityContext.?seccompProfile.orValue({})).?type.orValue('') in ${celList(ALLOWED)}`,
          'have no RuntimeDefault or Localhost seccomp profile'),
      ].map((v) => windowsExempt(version, v))),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    if (this.version.since(25) && isWindows(pod)) return [];
    const problems: string[] = [];
    const podProfile = pod.spec.securityContext?.seccompProfile;
    if (podProfile != null && !ALLOWED.has(podProfile.type)) {
      problems.push(`${pod.pointer}/securityContext/seccompProfile/type is ${podProfile.type ?? 'unset'}, not RuntimeDefault or Localhost`);
    }
    const podAllowed = podProfile != null && ALLOWED.has(podProfile.type);
    for (const c of pod.containers) {
      const profile = c.container?.securityContext?.seccompProfile;
      if (profile != null) {
        if (!ALLOWED.has(profile.type)) problems.push(`${c.pointer}/securityContext/seccompProfile/type is ${profile.type ?? 'unset'}, not RuntimeDefault or Localhost`);
      } else if (!podAllowed) {
        problems.push(`${c.pointer} has no RuntimeDefault or Localhost seccomp profile`);
      }
    }
    return problems;
  }
}
