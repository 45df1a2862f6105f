import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

/** Windows pods do not run as host processes */
export class WindowsHostProcessRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-WINDOWS-HOST-PROCESS',
      title: 'Windows pods do not run as host processes',
      rationale: 'A Windows HostProcess container runs directly on the host with its privileges.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): HostProcess',
      fix: 'Remove windowsOptions.hostProcess (or set it to false).',
    });
  }

  protected checkPod(pod: PodView): string[] {
    const podLevel = pod.spec.securityContext?.windowsOptions?.hostProcess === true ? [`${pod.pointer}/securityContext/windowsOptions/hostProcess is true`] : [];
    return [...podLevel, ...pod.containers.filter((c) => c.container.securityContext?.windowsOptions?.hostProcess === true)
      .map((c) => `${c.pointer}/securityContext/windowsOptions/hostProcess is true`)];
  }
}
