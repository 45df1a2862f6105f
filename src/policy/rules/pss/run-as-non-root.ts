import { effective, PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

/** Containers must run as non-root */
export class RunAsNonRootRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-RUN-AS-NON-ROOT',
      title: 'Containers must run as non-root',
      rationale: 'Root in a container is root on the node after any escape; the kubelet refuses to start root images with runAsNonRoot.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): Running as Non-root',
      fix: 'Set securityContext.runAsNonRoot to true on the pod (or on every container), with a non-zero runAsUser.',
    });
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers.filter((c) => effective(pod, c.container, 'runAsNonRoot') !== true)
      .map((c) => `${c.pointer} may run as root (runAsNonRoot is not true on the container or the pod)`);
  }
}
