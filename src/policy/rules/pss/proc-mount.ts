import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

/** Containers use the default /proc mount */
export class ProcMountRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-PROC-MOUNT',
      title: 'Containers use the default /proc mount',
      rationale: 'An unmasked /proc exposes kernel interfaces that the runtime hides from containers.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): /proc Mount Type',
      fix: 'Remove securityContext.procMount (or set it to Default).',
    });
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers.filter((c) => c.container.securityContext?.procMount !== undefined && c.container.securityContext.procMount !== 'Default')
      .map((c) => `${c.pointer}/securityContext/procMount is ${c.container.securityContext.procMount}`);
  }
}
