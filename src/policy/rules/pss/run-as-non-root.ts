import { inUserNamespace, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { ALL_CONTAINERS, everyContainer, IN_USER_NAMESPACE, unless } from '../../rule-api/cel';
import { HARDENED_WORKLOAD_DEFAULT } from '../../rule-api/hardened-workload-default';
import { Severity } from '../../rule-api/severity';

/**
 * Containers must run as non-root (upstream check `runAsNonRoot`: v1.0 requires `true` on the pod or on
 * every container, and no `false` anywhere; v1.35 skips pods in a user namespace, `hostUsers: false`).
 */
export class RunAsNonRootRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-RUN-AS-NON-ROOT',
      title: 'Containers must run as non-root',
      rationale: 'Root in a container is root on the node after any escape; the kubelet refuses to start root images with runAsNonRoot.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): Running as Non-root',
      fix: 'Set securityContext.runAsNonRoot to true on the pod (or on every container), with a non-zero runAsUser.',
      constructFix: HARDENED_WORKLOAD_DEFAULT,
      admission: AdmissionCheck.podSpec([
        { expression: 'variables.podSpec.?securityContext.?runAsNonRoot.orValue(true) == true', message: 'the pod sets runAsNonRoot to false' },
        everyContainer(ALL_CONTAINERS, 'c.?securityContext.?runAsNonRoot.orValue(variables.podSpec.?securityContext.?runAsNonRoot.orValue(false)) == true',
          'may run as root (runAsNonRoot is not true on the container or the pod)'),
      ].map((v) => (version.since(35) ? unless(IN_USER_NAMESPACE, v) : v))),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    if (this.version.since(35) && inUserNamespace(pod)) return [];
    const problems: string[] = [];
    const podValue = pod.spec.securityContext?.runAsNonRoot;
    if (podValue != null && podValue !== true) problems.push(`${pod.pointer}/securityContext/runAsNonRoot is ${JSON.stringify(podValue)}`);
    for (const c of pod.containers) {
      const value = c.container?.securityContext?.runAsNonRoot;
      if (value != null) {
        if (value !== true) problems.push(`${c.pointer}/securityContext/runAsNonRoot is ${JSON.stringify(value)}`);
      } else if (podValue !== true) {
        problems.push(`${c.pointer} may run as root (runAsNonRoot is not true on the container or the pod)`);
      }
    }
    return problems;
  }
}
