import { PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { Severity } from '../../rule-api/severity';

/** Pods do not share the host network, PID or IPC namespace (upstream check `hostNamespaces`, v1.0; unchanged since). */
export class HostNamespacesRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-HOST-NAMESPACES',
      title: 'Pods do not share the host network, PID or IPC namespace',
      rationale: 'Host namespaces let a pod see and signal host processes, sniff host traffic and reach host-only services.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (baseline): Host Namespaces',
      fix: 'Remove hostNetwork, hostPID and hostIPC (or set them to false).',
      admission: AdmissionCheck.podSpec([{
        expression: ['hostNetwork', 'hostPID', 'hostIPC'].map((f) => `!variables.podSpec.?${f}.orValue(false)`).join(' && '),
        message: 'the pod shares a host namespace (hostNetwork, hostPID or hostIPC is true)',
      }]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    return ['hostNetwork', 'hostPID', 'hostIPC'].filter((field) => pod.spec[field] === true).map((field) => `${pod.pointer}/${field} is true`);
  }
}
