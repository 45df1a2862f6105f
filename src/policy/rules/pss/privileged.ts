import { PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ALL_CONTAINERS, everyContainer } from '../../rule-api/cel';
import { Severity } from '../../rule-api/severity';

/** Containers are not privileged (upstream check `privileged`, v1.0; unchanged since). */
export class PrivilegedRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-PRIVILEGED',
      title: 'Containers are not privileged',
      rationale: 'A privileged container has every capability and all host devices: it is root on the node.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Privileged Containers',
      fix: 'Set securityContext.privileged to false (or leave it unset).',
      admission: AdmissionCheck.podSpec([everyContainer(ALL_CONTAINERS, '!c.?securityContext.?privileged.orValue(false)', 'are privileged')]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers.filter((c) => c.container?.securityContext?.privileged === true).map((c) => `${c.pointer}/securityContext/privileged is true`);
  }
}
