import { inUserNamespace, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ALL_CONTAINERS, everyContainer, IN_USER_NAMESPACE, unless } from '../../rule-api/cel';
import { Severity } from '../../rule-api/severity';

/**
 * Containers use the default /proc mount (upstream check `procMount`, baseline: v1.0 allows only
 * `Default` or unset; from v1.35 a pod in a user namespace, `hostUsers: false`, may use any type).
 * Under restricted, PSS-PROC-MOUNT-RESTRICTED keeps `Default` for those pods too.
 */
export class ProcMountRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-PROC-MOUNT',
      title: 'Containers use the default /proc mount',
      rationale: 'An unmasked /proc exposes kernel interfaces that the runtime hides from containers.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): /proc Mount Type',
      fix: 'Remove securityContext.procMount (or set it to Default).',
      admission: AdmissionCheck.podSpec([version.since(35) ? unless(IN_USER_NAMESPACE, DEFAULT_PROC_MOUNT) : DEFAULT_PROC_MOUNT]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    // v1.35: `procMount1_35baseline` allows every type in a user namespace.
    if (this.version.since(35) && inUserNamespace(pod)) return [];
    return nonDefaultProcMounts(pod);
  }
}

/** In CEL: every container uses the Default /proc mount. */
export const DEFAULT_PROC_MOUNT = everyContainer(ALL_CONTAINERS, "c.?securityContext.?procMount.orValue('Default') == 'Default'", 'use a /proc mount other than Default');

/** Messages for containers whose procMount is set to anything but `Default` (upstream `procMount_1_0`). */
export function nonDefaultProcMounts(pod: PodView): string[] {
  return pod.containers.filter((c) => c.container?.securityContext?.procMount != null && c.container.securityContext.procMount !== 'Default')
    .map((c) => `${c.pointer}/securityContext/procMount is ${c.container.securityContext.procMount}`);
}
