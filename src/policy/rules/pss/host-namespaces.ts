import { PodView } from '../../pod-view';
import { Severity } from '../../severity';
import { PodCheck } from '../checks';

/** Pods do not share the host network, PID or IPC namespace */
export class HostNamespacesRule extends PodCheck {
  public constructor() {
    super({
      id: 'PSS-HOST-NAMESPACES',
      title: 'Pods do not share the host network, PID or IPC namespace',
      rationale: 'Host namespaces let a pod see and signal host processes, sniff host traffic and reach host-only services.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Host Namespaces',
      fix: 'Remove hostNetwork, hostPID and hostIPC (or set them to false).',
    });
  }

  protected checkPod(pod: PodView): string[] {
    return ['hostNetwork', 'hostPID', 'hostIPC'].filter((field) => pod.spec[field] === true).map((field) => `${pod.pointer}/${field} is true`);
  }
}
