import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

/** Seccomp is not explicitly turned off. */
export class SeccompBaselineRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-SECCOMP-BASELINE',
      title: 'Seccomp is not set to Unconfined',
      rationale: 'Unconfined seccomp opens the whole syscall surface of the kernel to the container.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Seccomp',
      fix: 'Set seccompProfile.type to RuntimeDefault (or Localhost with a profile).',
    });
  }

  protected checkPod(pod: PodView): string[] {
    const profiles = [
      { pointer: pod.pointer, type: pod.spec.securityContext?.seccompProfile?.type },
      ...pod.containers.map((c) => ({ pointer: c.pointer, type: c.container.securityContext?.seccompProfile?.type })),
    ];
    return profiles.filter((p) => p.type === 'Unconfined').map((p) => `${p.pointer}/securityContext/seccompProfile/type is Unconfined`);
  }
}
