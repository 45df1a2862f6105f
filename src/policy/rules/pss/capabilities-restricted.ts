import { isWindows, list, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ALL_CONTAINERS, everyContainer, windowsExempt } from '../../rule-api/cel';
import { HARDENED_WORKLOAD_DEFAULT } from '../../rule-api/hardened-workload-default';
import { Severity } from '../../rule-api/severity';

/**
 * Containers drop ALL capabilities and add back at most NET_BIND_SERVICE (upstream check
 * `capabilities_restricted`: v1.22; v1.25 exempts Windows pods). Case-sensitive like upstream:
 * `drop: [all]` does not count.
 */
export class CapabilitiesRestrictedRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-CAPABILITIES',
      title: 'Containers drop ALL capabilities and add at most NET_BIND_SERVICE',
      rationale: 'Containers rarely need any capability; dropping ALL leaves nothing to abuse.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): Capabilities',
      fix: 'Set securityContext.capabilities.drop to ["ALL"] (upper case) and add nothing but NET_BIND_SERVICE.',
      constructFix: HARDENED_WORKLOAD_DEFAULT,
      admission: AdmissionCheck.podSpec([windowsExempt(version, everyContainer(ALL_CONTAINERS,
        "'ALL' in c.?securityContext.?capabilities.?drop.orValue([]) && c.?securityContext.?capabilities.?add.orValue([]).all(a, a == 'NET_BIND_SERVICE')",
        'do not drop ALL capabilities, or add one other than NET_BIND_SERVICE'))]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    if (this.version.since(25) && isWindows(pod)) return [];
    return pod.containers.flatMap((c) => {
      const capabilities = c.container?.securityContext?.capabilities ?? {};
      const problems = list(capabilities.drop).includes('ALL') ? [] : [`${c.pointer} does not drop ALL capabilities`];
      for (const cap of list(capabilities.add)) {
        if (cap !== 'NET_BIND_SERVICE') problems.push(`${c.pointer} adds capability ${cap}`);
      }
      return problems;
    });
  }
}
