import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

/** Containers are not privileged */
export class PrivilegedRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-PRIVILEGED',
      title: 'Containers are not privileged',
      rationale: 'A privileged container has every capability and all host devices: it is root on the node.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Privileged Containers',
      fix: 'Set securityContext.privileged to false (or leave it unset).',
    });
  }

  protected checkPod(pod: PodView): string[] {
    return pod.containers.filter((c) => c.container.securityContext?.privileged === true).map((c) => `${c.pointer}/securityContext/privileged is true`);
  }
}
