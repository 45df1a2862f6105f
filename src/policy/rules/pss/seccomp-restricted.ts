import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

const ALLOWED = new Set(['RuntimeDefault', 'Localhost']);

/** Every container runs under the RuntimeDefault or a Localhost seccomp profile. */
export class SeccompRestrictedRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-SECCOMP',
      title: 'Every container runs with the RuntimeDefault or a Localhost seccomp profile',
      rationale: 'The RuntimeDefault seccomp profile blocks dangerous, rarely needed syscalls; restricted requires it.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): Seccomp',
      fix: 'Set securityContext.seccompProfile.type to RuntimeDefault on the pod (or on every container).',
    });
  }

  protected checkPod(pod: PodView): string[] {
    const podType = pod.spec.securityContext?.seccompProfile?.type;
    return pod.containers
      .filter((c) => !ALLOWED.has(c.container.securityContext?.seccompProfile?.type ?? podType))
      .map((c) => `${c.pointer} has no RuntimeDefault or Localhost seccomp profile`);
  }
}
