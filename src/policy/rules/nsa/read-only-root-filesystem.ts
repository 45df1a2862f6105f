import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { everyContainer, INIT_AND_APP_CONTAINERS } from '../../rule-api/cel';
import { PodCheck } from '../../rule-api/checks';
import { HARDENED_WORKLOAD_DEFAULT } from '../../rule-api/hardened-workload-default';
import { Severity } from '../../rule-api/severity';

/** Containers run with a read-only root filesystem. */
export class ReadOnlyRootFilesystemRule extends PodCheck {
  public constructor() {
    super({
      id: 'NSA-READONLY-ROOTFS',
      title: 'Containers run with a read-only root filesystem',
      rationale: 'An immutable filesystem stops attackers from dropping tools or changing binaries in a running container.',
      severity: Severity.ERROR,
      standard: 'NSA/CISA Kubernetes Hardening Guide: Pod security — immutable container file systems',
      fix: 'Set securityContext.readOnlyRootFilesystem to true and mount an emptyDir where the application writes (e.g. /tmp).',
      constructFix: HARDENED_WORKLOAD_DEFAULT,
      admission: AdmissionCheck.podSpec([everyContainer(INIT_AND_APP_CONTAINERS, 'c.?securityContext.?readOnlyRootFilesystem.orValue(false) == true', 'have no read-only root filesystem')]),
    });
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers
      .filter((c) => !c.pointer.includes('ephemeralContainers') && c.container.securityContext?.readOnlyRootFilesystem !== true)
      .map((c) => `${c.pointer}/securityContext/readOnlyRootFilesystem is not true`);
  }
}
