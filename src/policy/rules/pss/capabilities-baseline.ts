import { list, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ALL_CONTAINERS, celList, everyContainer } from '../../rule-api/cel';
import { Severity } from '../../rule-api/severity';

// Upstream `capabilities_allowed_1_0`: the container runtimes' default set, unchanged since v1.0.
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/**
 * Containers add no capability beyond the container runtime's default set (upstream check
 * `capabilities_baseline`, v1.0; case-sensitive, like upstream).
 */
export class CapabilitiesBaselineRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-CAPABILITIES-BASELINE',
      title: 'Containers add no capability beyond the runtime default set',
      rationale: 'Capabilities such as SYS_ADMIN or NET_ADMIN are near-root powers that break container isolation.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Capabilities',
      fix: 'Remove capabilities.add entries such as SYS_ADMIN or NET_ADMIN; keep at most NET_BIND_SERVICE.',
      admission: AdmissionCheck.podSpec([everyContainer(ALL_CONTAINERS,
        `c.?securityContext.?capabilities.?add.orValue([]).all(a, a in ${celList(BASELINE_CAPABILITIES)})`, 'add capabilities beyond the runtime default set')]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers.flatMap((c) => list(c.container?.securityContext?.capabilities?.add)
      .filter((cap) => !BASELINE_CAPABILITIES.has(cap))
      .map((cap) => `${c.pointer} adds capability ${cap}`));
  }
}
