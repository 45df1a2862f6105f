import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

/** Containers do not set runAsUser 0 */
export class RunAsUserRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-RUN-AS-USER',
      title: 'Containers do not set runAsUser 0',
      rationale: 'uid 0 is root, whatever runAsNonRoot says at another level.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): Running as Non-root user',
      fix: 'Set runAsUser to a non-zero uid that the image supports (e.g. 10001).',
    });
  }

  protected checkPod(pod: PodView): string[] {
    const podLevel = pod.spec.securityContext?.runAsUser === 0 ? [`${pod.pointer}/securityContext/runAsUser is 0`] : [];
    return [...podLevel, ...pod.containers.filter((c) => c.container.securityContext?.runAsUser === 0)
      .map((c) => `${c.pointer}/securityContext/runAsUser is 0`)];
  }
}
