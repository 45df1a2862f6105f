import { PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { Severity } from '../../rule-api/severity';

/** Windows pods do not run as host processes (upstream check `windowsHostProcess`, v1.0; unchanged since). */
export class WindowsHostProcessRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-WINDOWS-HOST-PROCESS',
      title: 'Windows pods do not run as host processes',
      rationale: 'A Windows HostProcess container runs directly on the host with its privileges.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): HostProcess',
      fix: 'Remove windowsOptions.hostProcess (or set it to false).',
      admission: AdmissionCheck.podSpec([{
        expression: 'variables.securityContexts.all(s, !s.?windowsOptions.?hostProcess.orValue(false))',
        message: 'windowsOptions.hostProcess is true',
      }]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    const podLevel = pod.spec.securityContext?.windowsOptions?.hostProcess === true ? [`${pod.pointer}/securityContext/windowsOptions/hostProcess is true`] : [];
    return [...podLevel, ...pod.containers.filter((c) => c.container?.securityContext?.windowsOptions?.hostProcess === true)
      .map((c) => `${c.pointer}/securityContext/windowsOptions/hostProcess is true`)];
  }
}
