import { inUserNamespace, PssPodCheck } from './pss-check';
import { PodSecurityVersion } from '../../../k8s/pod-security-version';
import { PodView } from '../../../k8s/pod-view';
import { AdmissionCheck } from '../../rule-api/admission-check';
import { IN_USER_NAMESPACE } from '../../rule-api/cel';
import { HARDENED_WORKLOAD_DEFAULT } from '../../rule-api/hardened-workload-default';
import { Severity } from '../../rule-api/severity';

/**
 * Containers do not set runAsUser 0 (upstream check `runAsUser`: v1.23 forbids 0 on the pod and every
 * container, unset is fine; v1.35 skips pods in a user namespace, `hostUsers: false`, where uid 0 is not
 * root on the node).
 */
export class RunAsUserRule extends PssPodCheck {
  /** @param version the Pod Security Standards version to judge at */
  public constructor(version: PodSecurityVersion = PodSecurityVersion.LATEST) {
    super({
      id: 'PSS-RUN-AS-USER',
      title: 'Containers do not set runAsUser 0',
      rationale: 'uid 0 is root, whatever runAsNonRoot says at another level.',
      severity: Severity.ERROR,
      standard: 'Pod Security Standards (restricted): Running as Non-root user',
      fix: 'Set securityContext.runAsUser to a non-zero uid that the image supports (e.g. 10001).',
      constructFix: HARDENED_WORKLOAD_DEFAULT,
      admission: AdmissionCheck.podSpec([{
        expression: `${version.since(35) ? `${IN_USER_NAMESPACE} || ` : ''}variables.securityContexts.all(s, s.?runAsUser.orValue(1) != 0)`,
        message: 'runAsUser is 0',
      }]),
    }, version);
  }

  protected checkPod(pod: PodView): string[] {
    if (this.version.since(35) && inUserNamespace(pod)) return [];
    const podLevel = pod.spec.securityContext?.runAsUser === 0 ? [`${pod.pointer}/securityContext/runAsUser is 0`] : [];
    return [...podLevel, ...pod.containers.filter((c) => c.container?.securityContext?.runAsUser === 0)
      .map((c) => `${c.pointer}/securityContext/runAsUser is 0`)];
  }
}
